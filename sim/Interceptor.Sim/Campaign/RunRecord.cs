using System.Globalization;
using System.Text;
using Interceptor.Core;

namespace Interceptor.Sim.Campaign;

/// <summary>One Monte-Carlo run as it appears in runs.csv. Values are quantised to the precision the
/// CSV carries (<see cref="Create"/>), so statistics computed in memory equal those recomputed from the
/// CSV by <c>campaign merge</c>, bit for bit.</summary>
public sealed record RunRecord(
    string Scenario,
    string Law,
    int Run,
    ulong Seed,
    double MissM,
    double TimeOfClosestApproachS,
    double PeakAccelMps2,
    string Outcome)
{
    public const string CsvHeader = "scenario,law,run,seed,miss_m,tca_s,peak_accel_mps2,outcome";

    /// <summary>Builds a record with values rounded to the CSV precision (0.1 mm, 0.1 ms, 1 mm/s^2).
    /// Non-finite inputs are rejected: nothing NaN or infinite reaches an output.</summary>
    public static RunRecord Create(string scenario, string law, int run, ulong seed, double missM, double tcaS, double peakAccelMps2, string outcome)
    {
        Require.NonNegative(missM);
        Require.Finite(tcaS);
        Require.NonNegative(peakAccelMps2);
        return new RunRecord(scenario, law, run, seed, Quantize(missM, "F4"), Quantize(tcaS, "F4"), Quantize(peakAccelMps2, "F3"), outcome);
    }

    private static double Quantize(double v, string format) =>
        double.Parse(v.ToString(format, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    public void AppendCsv(StringBuilder sb)
    {
        var ic = CultureInfo.InvariantCulture;
        sb.Append(Scenario).Append(',').Append(Law).Append(',')
          .Append(Run.ToString(ic)).Append(',').Append(Seed.ToString(ic)).Append(',')
          .Append(MissM.ToString("F4", ic)).Append(',')
          .Append(TimeOfClosestApproachS.ToString("F4", ic)).Append(',')
          .Append(PeakAccelMps2.ToString("F3", ic)).Append(',')
          .Append(Outcome).Append('\n');
    }

    /// <summary>Parses one CSV data line; <paramref name="where"/> (file:line) is used in error messages.</summary>
    public static RunRecord ParseCsv(string line, string where)
    {
        string[] f = line.Split(',');
        if (f.Length != 8) throw new ValidationException($"{where}: expected 8 comma-separated fields ({CsvHeader}), found {f.Length}");
        var ic = CultureInfo.InvariantCulture;
        if (!int.TryParse(f[2], NumberStyles.None, ic, out int run)) throw new ValidationException($"{where}: run = '{f[2]}': not a run index");
        if (!ulong.TryParse(f[3], NumberStyles.None, ic, out ulong seed)) throw new ValidationException($"{where}: seed = '{f[3]}': not an unsigned integer");
        double miss = ParseDouble(f[4], "miss_m", where), tca = ParseDouble(f[5], "tca_s", where), acc = ParseDouble(f[6], "peak_accel_mps2", where);
        return new RunRecord(f[0], f[1], run, seed, miss, tca, acc, f[7]);
    }

    private static double ParseDouble(string s, string field, string where) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new ValidationException($"{where}: {field} = '{s}': not a finite number");
}

/// <summary>Reads and writes runs.csv.</summary>
public static class RunsCsv
{
    public const string FileName = "runs.csv";

    public static string Format(IEnumerable<RunRecord> records)
    {
        var sb = new StringBuilder(RunRecord.CsvHeader.Length + 1 + 64 * 128);
        sb.Append(RunRecord.CsvHeader).Append('\n');
        foreach (var r in records) r.AppendCsv(sb);
        return sb.ToString();
    }

    public static List<RunRecord> Read(string path)
    {
        var list = new List<RunRecord>();
        int lineNo = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNo++;
            if (lineNo == 1)
            {
                if (line != RunRecord.CsvHeader) throw new ValidationException($"{path}:1: header = '{line}': expected '{RunRecord.CsvHeader}'");
                continue;
            }
            if (line.Length == 0) continue;
            list.Add(RunRecord.ParseCsv(line, $"{path}:{lineNo}"));
        }
        if (lineNo == 0) throw new ValidationException($"{path}: empty file, expected header '{RunRecord.CsvHeader}'");
        return list;
    }
}
