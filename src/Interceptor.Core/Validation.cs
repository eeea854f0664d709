using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Interceptor.Core;

/// <summary>Thrown when outside input (config, file, bytes, cue) is invalid. The message names the
/// field and the offending value.</summary>
public sealed class ValidationException(string message) : Exception(message);

/// <summary>Checks for config records. Each names the field and value in its message.</summary>
public static class Require
{
    public static double Finite(double value, [CallerArgumentExpression(nameof(value))] string field = "")
    {
        if (!double.IsFinite(value)) Fail(field, value, "must be a finite number");
        return value;
    }

    public static double Positive(double value, [CallerArgumentExpression(nameof(value))] string field = "")
    {
        if (!double.IsFinite(value) || value <= 0) Fail(field, value, "must be a finite number > 0");
        return value;
    }

    public static double NonNegative(double value, [CallerArgumentExpression(nameof(value))] string field = "")
    {
        if (!double.IsFinite(value) || value < 0) Fail(field, value, "must be a finite number >= 0");
        return value;
    }

    public static double InRange(double value, double min, double max, [CallerArgumentExpression(nameof(value))] string field = "")
    {
        if (!double.IsFinite(value) || value < min || value > max)
            Fail(field, value, FormattableString.Invariant($"must be in [{min}, {max}]"));
        return value;
    }

    public static Vector3d Finite(Vector3d value, [CallerArgumentExpression(nameof(value))] string field = "")
    {
        if (!value.IsFinite) throw new ValidationException($"{Clean(field)} = {value}: must be finite in every component");
        return value;
    }

    [DoesNotReturn]
    public static void Fail(string field, double value, string rule) =>
        throw new ValidationException(FormattableString.Invariant($"{Clean(field)} = {value}: {rule}"));

    private static string Clean(string field) => field.StartsWith("this.", StringComparison.Ordinal) ? field[5..] : field;
}
