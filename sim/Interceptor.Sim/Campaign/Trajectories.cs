using System.Globalization;
using System.Text;
using Interceptor.Core;

namespace Interceptor.Sim.Campaign;

/// <summary>One recorded trajectory point (NED metres), quantised to the CSV precision (1 cm, 1 ms).</summary>
public readonly record struct TrajectoryPoint(double TimeS, Vector3d InterceptorPosNedM, Vector3d TargetPosNedM, bool TargetInFov);

/// <summary>A recorded run kept for the report's top/side views.</summary>
public sealed record TrajectoryTrace(string Scenario, string Law, int Run, IReadOnlyList<TrajectoryPoint> Points)
{
    public static TrajectoryTrace FromResult(string scenario, string law, int run, IReadOnlyList<TrajectorySample> samples)
    {
        var pts = new TrajectoryPoint[samples.Count];
        for (int i = 0; i < pts.Length; i++)
        {
            var s = samples[i];
            pts[i] = new TrajectoryPoint(Q(s.TimeS, "F3"), Q(s.InterceptorPosNedM), Q(s.TargetPosNedM), s.TargetInFov);
        }
        return new TrajectoryTrace(scenario, law, run, pts);
    }

    private static double Q(double v, string f) =>
        double.Parse(v.ToString(f, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Vector3d Q(Vector3d v) => new(Q(v.X, "F2"), Q(v.Y, "F2"), Q(v.Z, "F2"));
}

/// <summary>trajectories.csv: the first few runs of every (scenario, law), for plots.</summary>
public static class TrajectoriesCsv
{
    public const string FileName = "trajectories.csv";
    public const string Header = "scenario,law,run,t_s,int_n_m,int_e_m,int_d_m,tgt_n_m,tgt_e_m,tgt_d_m,in_fov";

    public static string Format(IEnumerable<TrajectoryTrace> traces)
    {
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(1 << 16);
        sb.Append(Header).Append('\n');
        foreach (var t in traces)
        {
            string prefix = string.Create(ic, $"{t.Scenario},{t.Law},{t.Run},");
            foreach (var p in t.Points)
            {
                sb.Append(prefix)
                  .Append(p.TimeS.ToString("F3", ic)).Append(',')
                  .Append(p.InterceptorPosNedM.X.ToString("F2", ic)).Append(',')
                  .Append(p.InterceptorPosNedM.Y.ToString("F2", ic)).Append(',')
                  .Append(p.InterceptorPosNedM.Z.ToString("F2", ic)).Append(',')
                  .Append(p.TargetPosNedM.X.ToString("F2", ic)).Append(',')
                  .Append(p.TargetPosNedM.Y.ToString("F2", ic)).Append(',')
                  .Append(p.TargetPosNedM.Z.ToString("F2", ic)).Append(',')
                  .Append(p.TargetInFov ? '1' : '0').Append('\n');
            }
        }
        return sb.ToString();
    }

    public static List<TrajectoryTrace> Read(string path)
    {
        var ic = CultureInfo.InvariantCulture;
        var traces = new List<TrajectoryTrace>();
        List<TrajectoryPoint>? current = null;
        (string S, string L, int R) key = ("", "", -1);
        int lineNo = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNo++;
            if (lineNo == 1)
            {
                if (line != Header) throw new ValidationException($"{path}:1: header = '{line}': expected '{Header}'");
                continue;
            }
            if (line.Length == 0) continue;
            string[] f = line.Split(',');
            if (f.Length != 11) throw new ValidationException($"{path}:{lineNo}: expected 11 fields, found {f.Length}");
            double D(int i) => double.TryParse(f[i], NumberStyles.Float, ic, out double v) && double.IsFinite(v)
                ? v : throw new ValidationException($"{path}:{lineNo}: field {i + 1} = '{f[i]}': not a finite number");
            if (!int.TryParse(f[2], NumberStyles.None, ic, out int run)) throw new ValidationException($"{path}:{lineNo}: run = '{f[2]}': not a run index");
            if (current is null || key != (f[0], f[1], run))
            {
                current = new List<TrajectoryPoint>();
                key = (f[0], f[1], run);
                traces.Add(new TrajectoryTrace(f[0], f[1], run, current));
            }
            current.Add(new TrajectoryPoint(D(3), new Vector3d(D(4), D(5), D(6)), new Vector3d(D(7), D(8), D(9)), f[10] == "1"));
        }
        return traces;
    }
}
