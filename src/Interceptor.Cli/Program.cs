using Interceptor.Cli;

return CliCommands.Run(args);
