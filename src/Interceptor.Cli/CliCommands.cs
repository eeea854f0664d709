using System.CommandLine;

namespace Interceptor.Cli;

/// <summary>Exit codes of the `interceptor` command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>A threshold or regression check failed.</summary>
    public const int ThresholdFailed = 1;
    /// <summary>Bad input: unreadable or invalid file, option or URL.</summary>
    public const int BadInput = 2;
}

public static partial class CliCommands
{
    /// <summary>All top-level commands. Each area adds its builder here.</summary>
    public static IEnumerable<Command> All()
    {
        // e.g. yield return SimCommands.Sim(); yield return MavlinkCommands.Build();
        foreach (var c in SimCommands.All()) yield return c;
        yield return MavlinkCommands.Build();
        yield return VirtualAutopilotCommands.Build();
        yield return SitlCommands.Build();
        yield break;
    }
}
