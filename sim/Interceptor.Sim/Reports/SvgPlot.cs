using System.Globalization;
using System.Text;

namespace Interceptor.Sim.Reports;

/// <summary>One polyline (or a set of markers) in an <see cref="SvgPlot"/>.</summary>
public sealed record PlotSeries(string Label, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, bool Step = false, double WidthPx = 1.6, bool ShowInLegend = true);

/// <summary>A point marker with an optional label (e.g. closest approach, launch point).</summary>
public sealed record PlotMarker(double X, double Y, string Color, string Label, string Shape = "circle");

/// <summary>Small dependency-free SVG line plot: linear or log10 x axis, "nice" ticks, grid, legend,
/// optional equal aspect (for top/side views where metres must look like metres). Output is
/// deterministic text (invariant culture, fixed decimals) so reports diff cleanly.</summary>
public sealed class SvgPlot
{
    public required string Title { get; init; }
    public required string XLabel { get; init; }
    public required string YLabel { get; init; }
    public int WidthPx { get; init; } = 560;
    public int HeightPx { get; init; } = 360;
    public bool LogX { get; init; }
    public bool EqualAspect { get; init; }
    public double? XMin { get; set; }
    public double? XMax { get; set; }
    public double? YMin { get; init; }
    public double? YMax { get; init; }
    public List<PlotSeries> Series { get; } = new();
    public List<PlotMarker> Markers { get; } = new();
    /// <summary>Vertical reference lines (x, label), e.g. Pk radii on a CDF.</summary>
    public List<(double X, string Label)> VerticalLines { get; } = new();

    private const double Left = 62, Right = 16, Bottom = 46;

    public string Render()
    {
        var ic = CultureInfo.InvariantCulture;
        double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
        void Take(double x, double y)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y) || (LogX && x <= 0)) return;
            x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
        }
        foreach (var s in Series) foreach (var p in s.Points) Take(p.X, p.Y);
        foreach (var m in Markers) Take(m.X, m.Y);
        if (!double.IsFinite(x0)) { x0 = LogX ? 0.01 : 0; x1 = LogX ? 100 : 1; y0 = 0; y1 = 1; }
        if (XMin is { } a) x0 = a;
        if (XMax is { } b) x1 = b;
        if (YMin is { } c) y0 = c;
        if (YMax is { } d) y1 = d;
        // legend: one entry per distinct label, laid out in rows under the title, outside the plot area
        var seen = new HashSet<string>();
        var entries = new List<(string Label, string Color, bool Dashed)>();
        foreach (var s in Series) if (s.ShowInLegend && seen.Add(s.Label)) entries.Add((s.Label, s.Color, s.Dashed));
        var placed = new List<(double X, int Row)>();
        double cursor = Left;
        int rows = entries.Count > 0 ? 1 : 0;
        foreach (var en in entries)
        {
            double w = 30 + 6.2 * en.Label.Length;
            if (cursor + w > WidthPx - Right && cursor > Left) { rows++; cursor = Left; }
            placed.Add((cursor, rows - 1));
            cursor += w + 8;
        }
        double Top = 28 + 15 * rows;
        double plotW = WidthPx - Left - Right, plotH = HeightPx - Top - Bottom;

        double fx0, fx1; // axis in "function" space (log10 when LogX)
        if (LogX)
        {
            fx0 = Math.Floor(Math.Log10(x0)); fx1 = Math.Ceiling(Math.Log10(x1));
            if (fx1 <= fx0) fx1 = fx0 + 1;
        }
        else
        {
            if (x1 - x0 < 1e-9) { x0 -= 1; x1 += 1; }
            fx0 = x0; fx1 = x1;
        }
        if (y1 - y0 < 1e-9) { y0 -= 1; y1 += 1; }
        if (!LogX && !XMin.HasValue && !XMax.HasValue) Pad(ref fx0, ref fx1);
        if (!YMin.HasValue && !YMax.HasValue) Pad(ref y0, ref y1);
        if (EqualAspect && !LogX)
        {
            double sx = (fx1 - fx0) / plotW, sy = (y1 - y0) / plotH;
            if (sx > sy) { double extra = (sx * plotH - (y1 - y0)) / 2; y0 -= extra; y1 += extra; }
            else { double extra = (sy * plotW - (fx1 - fx0)) / 2; fx0 -= extra; fx1 += extra; }
        }
        double PX(double x) => Left + ((LogX ? Math.Log10(Math.Max(x, 1e-300)) : x) - fx0) / (fx1 - fx0) * plotW;
        double PY(double y) => Top + (1 - (y - y0) / (y1 - y0)) * plotH;
        string F(double v) => v.ToString("F1", ic);

        var sb = new StringBuilder();
        sb.Append(ic, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WidthPx} {HeightPx}\" width=\"{WidthPx}\" height=\"{HeightPx}\" class=\"plot\" role=\"img\" aria-label=\"{Html.Escape(Title)}\">\n");
        sb.Append(ic, $"<rect x=\"0\" y=\"0\" width=\"{WidthPx}\" height=\"{HeightPx}\" fill=\"#fff\"/>\n");
        sb.Append(ic, $"<text x=\"{F(Left)}\" y=\"18\" class=\"pt\">{Html.Escape(Title)}</text>\n");
        sb.Append(ic, $"<defs><clipPath id=\"c{Id}\"><rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\"/></clipPath></defs>\n");

        // grid + ticks
        foreach (double t in LogX ? LogTicks(fx0, fx1) : NiceTicks(fx0, fx1, Math.Max(3, (int)(plotW / 90))))
        {
            double px = PX(t);
            sb.Append(ic, $"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Top + plotH)}\" class=\"g\"/>");
            sb.Append(ic, $"<text x=\"{F(px)}\" y=\"{F(Top + plotH + 15)}\" class=\"tx\">{FormatTick(t)}</text>\n");
        }
        foreach (double t in NiceTicks(y0, y1, Math.Max(3, (int)(plotH / 55))))
        {
            double py = PY(t);
            sb.Append(ic, $"<line x1=\"{F(Left)}\" y1=\"{F(py)}\" x2=\"{F(Left + plotW)}\" y2=\"{F(py)}\" class=\"g\"/>");
            sb.Append(ic, $"<text x=\"{F(Left - 6)}\" y=\"{F(py + 4)}\" class=\"ty\">{FormatTick(t)}</text>\n");
        }
        sb.Append(ic, $"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" class=\"frame\"/>\n");
        sb.Append(ic, $"<text x=\"{F(Left + plotW / 2)}\" y=\"{F(HeightPx - 8)}\" class=\"xl\">{Html.Escape(XLabel)}</text>\n");
        sb.Append(ic, $"<text transform=\"translate(14 {F(Top + plotH / 2)}) rotate(-90)\" class=\"xl\">{Html.Escape(YLabel)}</text>\n");

        sb.Append(ic, $"<g clip-path=\"url(#c{Id})\">\n");
        foreach (var (x, label) in VerticalLines)
        {
            double px = PX(x);
            sb.Append(ic, $"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Top + plotH)}\" class=\"vl\"/>");
            sb.Append(ic, $"<text x=\"{F(px + 3)}\" y=\"{F(Top + 11)}\" class=\"vt\">{Html.Escape(label)}</text>\n");
        }
        foreach (var s in Series)
        {
            if (s.Points.Count == 0) continue;
            sb.Append(ic, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"{s.WidthPx.ToString("F1", ic)}\" stroke-linejoin=\"round\"{(s.Dashed ? " stroke-dasharray=\"5 4\"" : "")} points=\"");
            double? prevY = null;
            foreach (var (x, y) in s.Points)
            {
                if (!double.IsFinite(x) || !double.IsFinite(y) || (LogX && x <= 0)) continue;
                if (s.Step && prevY is { } py0) sb.Append(F(PX(x))).Append(',').Append(F(PY(py0))).Append(' ');
                sb.Append(F(PX(x))).Append(',').Append(F(PY(y))).Append(' ');
                prevY = y;
            }
            sb.Append("\"/>\n");
        }
        foreach (var m in Markers)
        {
            if (!double.IsFinite(m.X) || !double.IsFinite(m.Y)) continue;
            double px = PX(m.X), py = PY(m.Y);
            if (m.Shape == "square")
                sb.Append(ic, $"<rect x=\"{F(px - 4)}\" y=\"{F(py - 4)}\" width=\"8\" height=\"8\" fill=\"{m.Color}\" stroke=\"#fff\" stroke-width=\"1\"><title>{Html.Escape(m.Label)}</title></rect>\n");
            else if (m.Shape == "x")
                sb.Append(ic, $"<path d=\"M{F(px - 5)},{F(py - 5)}L{F(px + 5)},{F(py + 5)}M{F(px - 5)},{F(py + 5)}L{F(px + 5)},{F(py - 5)}\" stroke=\"{m.Color}\" stroke-width=\"2.2\"><title>{Html.Escape(m.Label)}</title></path>\n");
            else
                sb.Append(ic, $"<circle cx=\"{F(px)}\" cy=\"{F(py)}\" r=\"4\" fill=\"{m.Color}\" stroke=\"#fff\" stroke-width=\"1\"><title>{Html.Escape(m.Label)}</title></circle>\n");
        }
        sb.Append("</g>\n");

        for (int i = 0; i < entries.Count; i++)
        {
            double ex = placed[i].X, ey = 36 + 15 * placed[i].Row;
            sb.Append(ic, $"<line x1=\"{F(ex)}\" y1=\"{F(ey - 4)}\" x2=\"{F(ex + 20)}\" y2=\"{F(ey - 4)}\" stroke=\"{entries[i].Color}\" stroke-width=\"2.5\"{(entries[i].Dashed ? " stroke-dasharray=\"4 3\"" : "")}/>");
            sb.Append(ic, $"<text x=\"{F(ex + 25)}\" y=\"{F(ey)}\" class=\"lt\">{Html.Escape(entries[i].Label)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Kept for callers; the legend is always drawn under the title, outside the plot area.</summary>
    public bool LegendBottom { get; init; }

    /// <summary>Unique id for the clip path within one HTML page.</summary>
    public required string Id { get; init; }

    private static void Pad(ref double lo, ref double hi)
    {
        double pad = (hi - lo) * 0.04;
        lo -= pad; hi += pad;
    }

    private static string FormatTick(double t)
    {
        var ic = CultureInfo.InvariantCulture;
        double a = Math.Abs(t);
        if (a < 1e-12) return "0";
        if (a >= 1000 || a == Math.Round(a)) return t.ToString("0", ic);
        if (a >= 1) return t.ToString("0.##", ic);
        return t.ToString("0.###", ic);
    }

    /// <summary>Ticks at 1, 2, 5 x 10^k spacing covering [lo, hi].</summary>
    public static List<double> NiceTicks(double lo, double hi, int target)
    {
        var ticks = new List<double>();
        double span = hi - lo;
        if (!(span > 0) || !double.IsFinite(span)) return ticks;
        double raw = span / Math.Max(1, target);
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double norm = raw / mag;
        double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
        double start = Math.Ceiling(lo / step - 1e-9) * step;
        for (int i = 0; i < 100; i++)
        {
            double t = start + i * step;
            if (t > hi + step * 1e-9) break;
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks;
    }

    /// <summary>Decade ticks for a log axis given log10 bounds; returns values (not exponents).</summary>
    private static List<double> LogTicks(double log0, double log1)
    {
        var ticks = new List<double>();
        for (int k = (int)Math.Ceiling(log0 - 1e-9); k <= (int)Math.Floor(log1 + 1e-9); k++) ticks.Add(Math.Pow(10, k));
        return ticks;
    }
}

/// <summary>HTML escaping for text and attribute values.</summary>
public static class Html
{
    public static string Escape(string s)
    {
        if (s.AsSpan().IndexOfAny("<>&\"'") < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }
}
