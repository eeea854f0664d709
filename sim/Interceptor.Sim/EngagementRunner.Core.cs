namespace Interceptor.Sim;

public static partial class EngagementRunner
{
    // Temporary: the simulation core lands in the next commit.
    private static partial EngagementResult RunCore(ScenarioSpec spec, string lawName, ulong seed, RunOptions opts) =>
        throw new NotSupportedException("simulation core not committed yet");
}
