using System.Security.Cryptography;
using System.Text;

namespace Interceptor.Mavlink.Signing;

/// <summary>A 32-byte MAVLink 2 signing secret. <see cref="ToString"/> never reveals it.</summary>
public sealed class MavlinkSigningKey
{
    /// <summary>Key length in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _key;

    /// <summary>Wraps (a copy of) 32 key bytes.</summary>
    public MavlinkSigningKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
            throw new ArgumentException($"signing key length must be {Length} bytes, got {key.Length}", nameof(key));
        _key = key.ToArray();
    }

    /// <summary>The key bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _key;

    /// <summary>Parses 64 hex digits (whitespace around is ignored).</summary>
    public static MavlinkSigningKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        string t = hex.Trim();
        if (t.Length != 2 * Length)
            throw new FormatException($"signing key hex must be {2 * Length} hex digits, got {t.Length} characters");
        byte[] bytes;
        try { bytes = Convert.FromHexString(t); }
        catch (FormatException) { throw new FormatException("signing key hex contains a character that is not a hex digit"); }
        return new MavlinkSigningKey(bytes);
    }

    /// <summary>The key Mission Planner and MAVProxy derive from a passphrase: SHA-256 of its UTF-8 bytes.</summary>
    public static MavlinkSigningKey FromPassphrase(string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        return new MavlinkSigningKey(SHA256.HashData(Encoding.UTF8.GetBytes(passphrase)));
    }

    /// <summary>Reads a key file holding either 64 hex digits (text) or exactly 32 raw bytes.
    /// On Unix the file must not be readable, writable or executable by group or others (like ssh keys):
    /// otherwise <see cref="UnauthorizedAccessException"/> is thrown naming the path and mode.</summary>
    public static MavlinkSigningKey FromFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode loose = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & loose) != 0)
                throw new UnauthorizedAccessException(
                    $"signing key file '{path}' has mode {Convert.ToString((int)mode & 0x1FF, 8)}: it must not be accessible by group or others (chmod 600)");
        }
        byte[] content = File.ReadAllBytes(path);
        if (content.Length == Length) return new MavlinkSigningKey(content);
        string text = Encoding.ASCII.GetString(content);
        try { return FromHex(text); }
        catch (FormatException e) { throw new FormatException($"signing key file '{path}' is neither 32 raw bytes nor 64 hex digits: {e.Message}"); }
    }

    /// <inheritdoc />
    public override string ToString() => "MavlinkSigningKey(32 bytes, hidden)";
}
