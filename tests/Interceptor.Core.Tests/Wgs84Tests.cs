using Interceptor.Core;

namespace Interceptor.Core.Tests;

public class Wgs84Tests
{
    [Fact]
    public void EquatorPrimeMeridianIsOnTheXAxis()
    {
        var e = Wgs84.GeodeticToEcef(new GeodeticPosition(0, 0, 0));
        Assert.Equal(Wgs84.A, e.X, 6);
        Assert.Equal(0, e.Y, 6);
        Assert.Equal(0, e.Z, 6);
    }

    [Fact]
    public void NorthPoleIsOnTheSemiMinorAxis()
    {
        var e = Wgs84.GeodeticToEcef(new GeodeticPosition(Math.PI / 2, 0, 100));
        Assert.Equal(Wgs84.B + 100, e.Z, 6);
        Assert.Equal(0, e.X, 6);
    }

    [Theory]
    [InlineData(47.397742, 8.545594, 488.0)]     // Zurich (PX4 SITL default home)
    [InlineData(-35.363261, 149.165230, 584.0)]  // Canberra (ArduPilot SITL default home)
    [InlineData(50.45, 30.52, 2000.0)]
    [InlineData(-89.9, -179.9, -50.0)]
    public void GeodeticEcefRoundTripIsSubMillimetre(double latDeg, double lonDeg, double altM)
    {
        var p = GeodeticPosition.FromDegrees(latDeg, lonDeg, altM);
        var back = Wgs84.EcefToGeodetic(Wgs84.GeodeticToEcef(p));
        Assert.True(Math.Abs(back.LatRad - p.LatRad) * Wgs84.A < 1e-4, $"lat error {(back.LatRad - p.LatRad) * Wgs84.A} m");
        Assert.True(Math.Abs(Angles.WrapPi(back.LonRad - p.LonRad)) * Wgs84.A < 1e-4);
        Assert.Equal(altM, back.AltM, 4);
    }

    [Fact]
    public void NedOfPointsDueNorthEastAndAbove()
    {
        var origin = GeodeticPosition.FromDegrees(47.397742, 8.545594, 488);
        var up = Wgs84.GeodeticToNed(origin with { AltM = 588 }, origin);
        Assert.Equal(0, up.X, 6); Assert.Equal(0, up.Y, 6); Assert.Equal(-100, up.Z, 6);

        // One arc-second of latitude spans (M + h) * 1" here, M the meridian radius of curvature: about 30.885 m.
        var north = Wgs84.GeodeticToNed(origin with { LatRad = origin.LatRad + Angles.ToRad(1.0 / 3600) }, origin);
        double sLat = Math.Sin(origin.LatRad);
        double m = Wgs84.A * (1 - Wgs84.E2) / Math.Pow(1 - Wgs84.E2 * sLat * sLat, 1.5);
        Assert.Equal((m + origin.AltM) * Angles.ToRad(1.0 / 3600), north.X, 4);
        Assert.Equal(0, north.Y, 6);
    }

    [Fact]
    public void NedRoundTripOverTenKilometres()
    {
        var origin = GeodeticPosition.FromDegrees(-35.363261, 149.165230, 584);
        var ned = new Vector3d(8000, -6000, -1500);
        var back = Wgs84.GeodeticToNed(Wgs84.NedToGeodetic(ned, origin), origin);
        Assert.True((back - ned).Length < 1e-4, $"{back} vs {ned}");
    }
}
