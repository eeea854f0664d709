using Interceptor.Core;

namespace Interceptor.Sim;

/// <summary>A seeker bearing as the estimator receives it: exposure time, own position at exposure, unit LOS
/// in NED, the 1-sigma the estimator is told, and when it becomes available (exposure + latency).</summary>
public readonly record struct BearingMeasurement(double ExposureTimeS, double AvailableTimeS, Vector3d OwnPosNedM, Vector3d LosUnitNed, double SigmaRad);

/// <summary>A C2 position cue: measurement time, availability time, noisy target position, reported 1-sigma.</summary>
public readonly record struct CueMeasurement(double MeasurementTimeS, double AvailableTimeS, Vector3d TargetPosNedM, double SigmaM);

/// <summary>Body-fixed forward camera seeker: the target must lie inside the rectangular field of view of a
/// camera fixed on the airframe (mount pitch only), is detected with a range-dependent probability, and its
/// bearing is reported with Gaussian angle noise per image axis after a fixed latency.</summary>
public static class SeekerModel
{
    /// <summary>Line of sight expressed in the camera optical frame (x right, y down, z along the boresight).</summary>
    public static Vector3d LosInCamera(in SeekerParams p, Quaterniond attitude, Vector3d losNed) =>
        Frames.BodyToCamera(p.CameraToBody, attitude.RotateInverse(losNed));

    /// <summary>True when the LOS lies within the rectangular field of view.</summary>
    public static bool InFieldOfView(in SeekerParams p, Vector3d losCam)
    {
        if (!(losCam.Z > 0)) return false;
        return Math.Abs(Math.Atan2(losCam.X, losCam.Z)) <= p.HalfHorizontalFovRad
            && Math.Abs(Math.Atan2(losCam.Y, losCam.Z)) <= p.HalfVerticalFovRad;
    }

    /// <summary>One frame. Always consumes exactly one detection draw and two noise draws, so the random streams
    /// stay aligned whatever happens. Returns false when the target is outside the FOV or not detected.</summary>
    public static bool TryMeasure(in SeekerParams p, double exposureTimeS, Vector3d ownPosNedM, Quaterniond attitude,
        Vector3d targetPosNedM, double reportedSigmaRad, ref SimRandom noise, ref SimRandom detect, out BearingMeasurement m, out bool inFov)
    {
        double u = detect.NextDouble();
        double n1 = noise.NextGaussian(), n2 = noise.NextGaussian();
        var los = targetPosNedM - ownPosNedM;
        double range = los.Length;
        var cam = LosInCamera(p, attitude, los);
        inFov = range > 1e-9 && InFieldOfView(p, cam);
        if (!inFov || !(u < p.DetectionProbability(range)))
        {
            m = default;
            return false;
        }
        double az = Math.Atan2(cam.X, cam.Z) + p.NoiseRad * n1;
        double el = Math.Atan2(cam.Y, cam.Z) + p.NoiseRad * n2;
        var noisyCam = new Vector3d(Math.Tan(az), Math.Tan(el), 1.0);
        var losNed = attitude.Rotate(Frames.CameraToBody(p.CameraToBody, noisyCam)).NormalizedOr(los / range);
        m = new BearingMeasurement(exposureTimeS, exposureTimeS + p.LatencyS, ownPosNedM, losNed, reportedSigmaRad);
        return true;
    }
}

/// <summary>C2 cue source: target position with isotropic Gaussian noise per axis, fixed rate, fixed latency.</summary>
public static class CueModel
{
    /// <summary>Always consumes three noise draws.</summary>
    public static CueMeasurement Measure(in CueParams p, double timeS, Vector3d targetPosNedM, double reportedSigmaM, ref SimRandom noise)
    {
        var n = new Vector3d(noise.NextGaussian(), noise.NextGaussian(), noise.NextGaussian());
        return new CueMeasurement(timeS, timeS + p.LatencyS, targetPosNedM + n * p.NoiseM, reportedSigmaM);
    }
}

/// <summary>Fixed-capacity FIFO (grows only if a burst exceeds the capacity sized at construction).</summary>
internal sealed class Fifo<T> where T : struct
{
    private T[] _items;
    private int _head, _count;

    public Fifo(int capacity) => _items = new T[Math.Max(4, capacity)];

    public int Count => _count;

    public void Enqueue(in T item)
    {
        if (_count == _items.Length)
        {
            var bigger = new T[_items.Length * 2];
            for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) % _items.Length];
            _items = bigger;
            _head = 0;
        }
        _items[(_head + _count) % _items.Length] = item;
        _count++;
    }

    public ref readonly T Peek() => ref _items[_head];

    public T Dequeue()
    {
        var item = _items[_head];
        _head = (_head + 1) % _items.Length;
        _count--;
        return item;
    }

    public void Clear() { _head = 0; _count = 0; }
}
