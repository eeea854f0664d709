using Interceptor.Mavlink.Generator;

// Usage: dotnet run --project tools/Interceptor.Mavlink.Generator -- <ardupilotmega.xml> <outdir>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Interceptor.Mavlink.Generator <dialect.xml> <output-dir>");
    Console.Error.WriteLine("  e.g. ../shared/mavlink/v1.0/ardupilotmega.xml src/Interceptor.Mavlink/Generated");
    return 2;
}
if (!File.Exists(args[0]))
{
    Console.Error.WriteLine($"generator: dialect file '{args[0]}' not found");
    return 2;
}
try
{
    int n = MavlinkGenerator.WriteTo(args[0], args[1]);
    var defs = MavlinkDefinitions.Load(args[0]);
    Console.WriteLine($"generated {n} files in {args[1]}: {defs.Messages.Count} messages, {defs.Enums.Count} enums from {string.Join(", ", defs.Files)}");
    return 0;
}
catch (Exception e) when (e is FormatException or InvalidOperationException or System.Xml.XmlException or IOException)
{
    Console.Error.WriteLine($"generator: {e.Message}");
    return 1;
}
