using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project tests/Interceptor.Benchmarks -- --filter '*'
// One area: --filter '*Guidance*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
