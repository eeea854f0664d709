namespace Interceptor.Core;

/// <summary>Geodetic position: latitude and longitude in radians, height above the WGS84 ellipsoid in metres.</summary>
public readonly record struct GeodeticPosition(double LatRad, double LonRad, double AltM)
{
    public static GeodeticPosition FromDegrees(double latDeg, double lonDeg, double altM) =>
        new(Angles.ToRad(latDeg), Angles.ToRad(lonDeg), altM);
    public double LatDeg => Angles.ToDeg(LatRad);
    public double LonDeg => Angles.ToDeg(LonRad);
}

/// <summary>WGS84 ellipsoid conversions: geodetic &lt;-&gt; ECEF &lt;-&gt; local NED about an origin.</summary>
public static class Wgs84
{
    public const double A = 6378137.0;                    // semi-major axis [m]
    public const double F = 1.0 / 298.257223563;          // flattening
    public const double B = A * (1 - F);                  // semi-minor axis [m]
    public const double E2 = F * (2 - F);                 // first eccentricity squared
    public const double Ep2 = E2 / (1 - E2);              // second eccentricity squared
    public const double GravityMs2 = 9.80665;             // standard gravity [m/s^2]

    public static Vector3d GeodeticToEcef(GeodeticPosition p)
    {
        double sLat = Math.Sin(p.LatRad), cLat = Math.Cos(p.LatRad);
        double n = A / Math.Sqrt(1 - E2 * sLat * sLat);
        return new((n + p.AltM) * cLat * Math.Cos(p.LonRad),
                   (n + p.AltM) * cLat * Math.Sin(p.LonRad),
                   (n * (1 - E2) + p.AltM) * sLat);
    }

    /// <summary>ECEF to geodetic: Bowring's initial guess refined by Newton iterations on latitude
    /// (sub-millimetre everywhere outside the Earth's centre).</summary>
    public static GeodeticPosition EcefToGeodetic(Vector3d e)
    {
        double lon = Math.Atan2(e.Y, e.X);
        double p = Math.Sqrt(e.X * e.X + e.Y * e.Y);
        if (p < 1e-9)
        {
            double lat0 = e.Z >= 0 ? Math.PI / 2 : -Math.PI / 2;
            return new(lat0, 0, Math.Abs(e.Z) - B);
        }
        double theta = Math.Atan2(e.Z * A, p * B);
        double st = Math.Sin(theta), ct = Math.Cos(theta);
        double lat = Math.Atan2(e.Z + Ep2 * B * st * st * st, p - E2 * A * ct * ct * ct);
        double alt = 0;
        for (int i = 0; i < 3; i++)
        {
            double sLat = Math.Sin(lat);
            double n = A / Math.Sqrt(1 - E2 * sLat * sLat);
            alt = p / Math.Cos(lat) - n;
            lat = Math.Atan2(e.Z, p * (1 - E2 * n / (n + alt)));
        }
        {
            double sLat = Math.Sin(lat), cLat = Math.Cos(lat);
            double n = A / Math.Sqrt(1 - E2 * sLat * sLat);
            alt = Math.Abs(cLat) > 1e-6 ? p / cLat - n : Math.Abs(e.Z) / Math.Abs(sLat) - n * (1 - E2);
        }
        return new(lat, lon, alt);
    }

    /// <summary>Rotate an ECEF vector into NED at the given origin.</summary>
    public static Vector3d EcefVectorToNed(Vector3d d, GeodeticPosition origin)
    {
        double sLat = Math.Sin(origin.LatRad), cLat = Math.Cos(origin.LatRad);
        double sLon = Math.Sin(origin.LonRad), cLon = Math.Cos(origin.LonRad);
        return new(
            -sLat * cLon * d.X - sLat * sLon * d.Y + cLat * d.Z,
            -sLon * d.X + cLon * d.Y,
            -cLat * cLon * d.X - cLat * sLon * d.Y - sLat * d.Z);
    }

    public static Vector3d NedVectorToEcef(Vector3d n, GeodeticPosition origin)
    {
        double sLat = Math.Sin(origin.LatRad), cLat = Math.Cos(origin.LatRad);
        double sLon = Math.Sin(origin.LonRad), cLon = Math.Cos(origin.LonRad);
        return new(
            -sLat * cLon * n.X - sLon * n.Y - cLat * cLon * n.Z,
            -sLat * sLon * n.X + cLon * n.Y - cLat * sLon * n.Z,
            cLat * n.X - sLat * n.Z);
    }

    public static Vector3d GeodeticToNed(GeodeticPosition p, GeodeticPosition origin) =>
        EcefVectorToNed(GeodeticToEcef(p) - GeodeticToEcef(origin), origin);

    public static GeodeticPosition NedToGeodetic(Vector3d ned, GeodeticPosition origin) =>
        EcefToGeodetic(GeodeticToEcef(origin) + NedVectorToEcef(ned, origin));
}
