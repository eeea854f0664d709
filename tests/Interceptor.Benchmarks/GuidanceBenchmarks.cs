using BenchmarkDotNet.Attributes;
using Interceptor.Core;
using Interceptor.Guidance;

namespace Interceptor.Benchmarks;

/// <summary>One guidance step per law (goal: &lt;= 100 ns, 0 B).
/// dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*Guidance*' --job short</summary>
[MemoryDiagnoser]
public class GuidanceBenchmarks
{
    private IGuidanceLaw _law = null!;
    private EngagementState _state;

    [Params("pursuit", "lead", "ppn", "tpn", "apn", "zem", "zem-full")]
    public string Law { get; set; } = "zem";

    [GlobalSetup]
    public void Setup()
    {
        _law = GuidanceLaws.Create(Law, GuidanceConfig.ForVehicle(VehicleLimits.FastInterceptor));
        // Fast quad at 60 m/s vs a weaving Shahed-class target 1.2 km out, acceleration known.
        _state = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(50, 30, -5),
            new Vector3d(1000, 600, -300), new Vector3d(-45, 5, 0), new Vector3d(0, 6, 0));
    }

    [Benchmark]
    public Vector3d Step() => _law.AccelerationCommandNed(_state);
}

/// <summary>Command shaping of one acceleration command (goal: &lt;= 100 ns, 0 B).</summary>
[MemoryDiagnoser]
public class GuidanceShaperBenchmarks
{
    private readonly MultirotorCommandShaper _shaper = new(VehicleLimits.FastInterceptor);
    private readonly IGuidanceLaw _zem = GuidanceLaws.Create("zem", GuidanceConfig.ForVehicle(VehicleLimits.FastInterceptor));
    private EngagementState _state = EngagementState.FromAbsolute(Vector3d.Zero, new Vector3d(50, 30, -5),
        new Vector3d(1000, 600, -300), new Vector3d(-45, 5, 0), new Vector3d(0, 6, 0));
    private Vector3d _acc = new(12, -25, -4);

    [Benchmark]
    public ShapedCommand Shape() => _shaper.Shape(_acc, _state, 0.3);

    [Benchmark]
    public ShapedCommand ZemStepAndShape() => _shaper.Shape(_zem.AccelerationCommandNed(_state), _state, 0.3);
}
