using Interceptor.Core;

namespace Interceptor.Guidance;

/// <summary>Registry of the guidance laws by their stable names.</summary>
public static class GuidanceLaws
{
    /// <summary>The default law for new scenarios.</summary>
    public const string DefaultName = "zem";

    /// <summary>Valid law names, in presentation order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["pursuit", "lead", "ppn", "tpn", "apn", "zem", "zem-full"];

    /// <summary>One-line description of a law for `interceptor laws` and reports.</summary>
    public static string Describe(string name) => Normalize(name) switch
    {
        "pursuit" => "pure pursuit: fly at max speed straight at the target (first-order velocity loop)",
        "lead" => "lead (deviated) pursuit: fly at max speed at the predicted intercept point",
        "ppn" => "pure proportional navigation: N*(LOS rate x own velocity), perpendicular to own velocity, + speed hold",
        "tpn" => "true proportional navigation: N*Vc*LOS rate, perpendicular to the LOS, + speed hold",
        "apn" => "augmented PN: TPN + N/2 * target acceleration across the LOS, + speed hold",
        "zem" => "zero-effort miss across the LOS: N*ZEM_perp/tgo^2 (N=3, tgo from intercept at max speed), + speed hold",
        "zem-full" => "textbook optimal control on the full zero-effort miss: N*ZEM/tgo^2 (trades speed for effort)",
        _ => throw Unknown(name),
    };

    /// <summary>Creates the law called <paramref name="name"/> (case-insensitive) with <paramref name="config"/>
    /// (default <see cref="GuidanceConfig.Default"/>). Throws <see cref="ValidationException"/> naming the unknown
    /// law and listing the valid names, or naming a bad config field.</summary>
    public static IGuidanceLaw Create(string name, GuidanceConfig? config = null)
    {
        var c = (config ?? GuidanceConfig.Default).Validate();
        return Normalize(name) switch
        {
            "pursuit" => new PurePursuitLaw(c),
            "lead" => new LeadPursuitLaw(c),
            "ppn" => new PurePnLaw(c),
            "tpn" => new TruePnLaw(c),
            "apn" => new AugmentedPnLaw(c),
            "zem" => new ZemLaw(c),
            "zem-full" => new ZemLaw(c, fullZem: true),
            _ => throw Unknown(name),
        };
    }

    /// <summary>True when <paramref name="name"/> names a law.</summary>
    public static bool IsKnown(string? name) => name is not null && Names.Contains(Normalize(name));

    private static string Normalize(string? name) => (name ?? "").Trim().ToLowerInvariant();

    private static ValidationException Unknown(string? name) =>
        new($"guidance law = '{name}': unknown law; valid names: {string.Join(", ", Names)}");
}
