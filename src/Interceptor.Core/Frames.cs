namespace Interceptor.Core;

/// <summary>Rotations between the navigation frame (NED), the vehicle body frame (FRD:
/// x forward, y right, z down) and the camera optical frame (x right, y down, z along the
/// optical axis, as in OpenCV).</summary>
public static class Frames
{
    /// <summary>Body FRD to NED, from the vehicle attitude quaternion.</summary>
    public static Vector3d BodyToNed(Quaterniond attitude, Vector3d vBody) => attitude.Rotate(vBody);
    public static Vector3d NedToBody(Quaterniond attitude, Vector3d vNed) => attitude.RotateInverse(vNed);

    /// <summary>Camera mounting: the rotation taking camera-optical vectors into body FRD.
    /// A camera looking along body +x with image right = body right and image down = body down
    /// maps optical (x right, y down, z forward) to body (y, z, x).</summary>
    public static Quaterniond CameraToBody(double mountPitchRad = 0, double mountYawRad = 0)
    {
        // Optical -> "forward-looking camera in body axes": z_opt -> x_body, x_opt -> y_body, y_opt -> z_body.
        // That fixed permutation is a rotation by 120 deg about (1,1,1)/sqrt(3).
        var permute = new Quaterniond(0.5, 0.5, 0.5, 0.5);
        var mount = Quaterniond.FromEuler(0, mountPitchRad, mountYawRad);
        return mount * permute;
    }

    public static Vector3d CameraToBody(Quaterniond cameraToBody, Vector3d vCam) => cameraToBody.Rotate(vCam);
    public static Vector3d BodyToCamera(Quaterniond cameraToBody, Vector3d vBody) => cameraToBody.RotateInverse(vBody);

    /// <summary>Yaw rotation only (heading), for NED to a level, heading-aligned frame.</summary>
    public static Vector3d RotateYaw(Vector3d v, double yawRad)
    {
        double c = Math.Cos(yawRad), s = Math.Sin(yawRad);
        return new(c * v.X - s * v.Y, s * v.X + c * v.Y, v.Z);
    }
}
