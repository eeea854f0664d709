namespace Interceptor.Testing;

/// <summary>Locates the repository root (the folder holding Interceptor.sln) and the read-only
/// shared data folder beside it (../shared: MAVLink XML, captures, datasets).</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Interceptor.sln"))) dir = dir.Parent;
        if (dir is not null) return dir.FullName;
        // Build output outside the repository (INTERCEPTOR_ARTIFACTS): use the root recorded at build time.
        foreach (var meta in typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false))
        {
            if (meta is System.Reflection.AssemblyMetadataAttribute { Key: "Interceptor.RepoRoot", Value: { Length: > 0 } root }
                && File.Exists(Path.Combine(root, "Interceptor.sln")))
                return Path.GetFullPath(root);
        }
        throw new InvalidOperationException($"Interceptor.sln not found above {AppContext.BaseDirectory} nor at the build-time repository root");
    });

    public static string Root => RootLazy.Value;

    /// <summary>../shared beside the repository; INTERCEPTOR_SHARED overrides it.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("INTERCEPTOR_SHARED") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);
    public static string RepoFile(params string[] parts) => Path.Combine([Root, .. parts]);
}
