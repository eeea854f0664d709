using System.CommandLine;
using Interceptor.Cli;

var root = new RootCommand("interceptor: autonomous counter-UAS interceptor flight stack (guidance, simulation, MAVLink)");
// Each area contributes its commands here (one line each).
foreach (var command in CliCommands.All()) root.Subcommands.Add(command);
return root.Parse(args).Invoke();
