using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Run all:   cd tests/Interceptor.Benchmarks && dotnet run -c Release -- --filter '*' --job short
// One area:  ... -- --filter '*GuidanceBenchmarks*'
// BenchmarkDotNet rebuilds this project (and the generated MAVLink code) in a child process with one
// MSBuild node; on a busy 2-core machine that exceeds its default 2-minute build timeout, so allow 10.
var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
