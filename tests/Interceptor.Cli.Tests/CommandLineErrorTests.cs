using Interceptor.Cli;

namespace Interceptor.Cli.Tests;

public class CommandLineErrorTests
{
    [Theory]
    [InlineData("no-such-command")]
    [InlineData("laws", "--no-such-option")]
    [InlineData("mavlink", "inspect")]
    public void MalformedCommandLinesAreBadInput(params string[] args)
    {
        var (code, _, err) = CliHarness.Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("interceptor: ", err);
    }

    [Fact]
    public void HelpIsNotAnError()
    {
        var (code, output, _) = CliHarness.Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("campaign", output);
        Assert.Contains("mavlink", output);
    }
}
