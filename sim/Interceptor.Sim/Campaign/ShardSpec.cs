using System.Globalization;
using Interceptor.Core;

namespace Interceptor.Sim.Campaign;

/// <summary>One slice of a campaign: shard <see cref="Index"/> of <see cref="Count"/> (numbered from 0,
/// like a Kubernetes Indexed Job's JOB_COMPLETION_INDEX). Job k of the campaign (over all scenarios,
/// laws and runs, in plan order) belongs to shard k mod Count, so every shard gets a similar mix and the
/// union of all shards is the whole campaign, each job exactly once.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec All = new(0, 1);

    public bool IsAll => Count == 1;

    public bool Contains(long jobIndex) => jobIndex % Count == Index;

    /// <summary>Parses "i/N" with 0 &lt;= i &lt; N.</summary>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw new ValidationException($"--shard = '{text}': expected i/N, e.g. 0/4 (shards are numbered from 0)");
        if (count < 1) throw new ValidationException($"--shard = '{text}': N must be >= 1");
        if (index >= count) throw new ValidationException($"--shard = '{text}': i must be in [0, {count - 1}] (shards are numbered from 0)");
        return new ShardSpec(index, count);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
