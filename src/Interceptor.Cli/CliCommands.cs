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
        foreach (var c in SimCommands.All()) yield return c;
        yield return MavlinkCommands.Build();
        yield return VirtualAutopilotCommands.Build();
        yield return SitlCommands.Build();
    }

    /// <summary>The root command with every area's commands.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("interceptor: autonomous counter-UAS interceptor flight stack (guidance, simulation, MAVLink)");
        foreach (var command in All()) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs a command line. A malformed command line (unknown option, mistyped value,
    /// missing argument) is bad input: the errors go to stderr and the exit code is 2, not the parser's 1,
    /// which is reserved for failed thresholds.</summary>
    public static int Run(string[] args, InvocationConfiguration? config = null)
    {
        var parse = Root().Parse(args);
        config ??= new InvocationConfiguration();
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) config.Error.WriteLine($"interceptor: {error.Message}");
            config.Error.WriteLine("Run 'interceptor --help' (or '<command> --help') for usage.");
            return ExitCodes.BadInput;
        }
        return parse.Invoke(config);
    }
}
