using System.Globalization;
using System.Text;
using Interceptor.Core;
using Interceptor.Sim.Campaign;

namespace Interceptor.Sim.Reports;

/// <summary>Self-contained HTML report (inline CSS and SVG, no scripts, no external files) of a campaign:
/// summary table with Pk, miss statistics and cost per kill next to the target's cost; per scenario a
/// miss-distance CDF per law and top and side views of recorded trajectories. Deterministic output.</summary>
public static class CampaignReport
{
    public static readonly string[] LawColors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
    public const string TargetColor = "#444";

    public static string Render(CampaignResult result, IReadOnlyList<ScenarioSummary> summaries)
    {
        var ic = CultureInfo.InvariantCulture;
        var m = result.Manifest;
        var sb = new StringBuilder(1 << 16);
        HtmlPage.Begin(sb, "Interceptor campaign report");
        sb.Append("<h1>Interceptor campaign report</h1>\n");
        sb.Append(ic, $"<p class=\"meta\">{m.Scenarios.Count} scenario(s) &times; {m.Laws.Count} law(s) ({Html.Escape(string.Join(", ", m.Laws))}) &times; {m.RunsPerScenario} Monte-Carlo runs, base seed {m.BaseSeed}");
        if (!m.Shard.IsAll) sb.Append(ic, $", <b>shard {m.Shard} only</b> (merge all shards for the full campaign)");
        sb.Append(". Run <i>i</i> of a scenario uses the same seed, hence the same dispersed geometry and noise, for every law.</p>\n");

        sb.Append("<h2>Summary</h2>\n");
        AppendSummaryTable(sb, summaries);
        sb.Append("<p class=\"note\">Pk(r): fraction of runs that reached a closest approach within r metres. Miss: minimum interceptor&ndash;target distance, interpolated between integration steps. ")
          .Append("CEP: circular-normal estimate 0.833&nbsp;&times;&nbsp;RMS miss (far above the median means a tail of gross misses). ")
          .Append("Cost per kill: interceptor unit cost / Pk at the scenario&rsquo;s kill radius (1 m unless the scenario says otherwise), next to the cost of the target it removes; the last column is how many times the target&rsquo;s cost exceeds it.</p>\n");

        var lawIndex = m.Laws.Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        for (int s = 0; s < m.Scenarios.Count; s++)
        {
            var info = m.Scenarios[s];
            sb.Append(ic, $"<h2 id=\"{Html.Escape(info.Name)}\">{Html.Escape(info.Name)}</h2>\n");
            if (info.Description.Length > 0) sb.Append(ic, $"<p class=\"desc\">{Html.Escape(info.Description)}</p>\n");
            sb.Append(ic, $"<p class=\"meta\">{Html.Escape(info.File)} &middot; kill radius {info.KillRadiusM.ToString("0.##", ic)} m &middot; interceptor ${info.UnitCostUsd.ToString("N0", ic)} &middot; target ${info.TargetCostUsd.ToString("N0", ic)}</p>\n");
            sb.Append("<div class=\"row\">\n");

            var cdf = new SvgPlot
            {
                Id = $"cdf{s}", Title = "Miss distance CDF", XLabel = "miss distance (m, log scale)", YLabel = "fraction of runs",
                LogX = true, YMin = 0, YMax = 1, LegendBottom = true, WidthPx = 440, HeightPx = 320,
            };
            double lo = double.PositiveInfinity, hi = 0;
            for (int l = 0; l < m.Laws.Count; l++)
            {
                var miss = result.Records.Where(r => r.Scenario == info.Name && r.Law == m.Laws[l]).Select(r => r.MissM).Order().ToArray();
                if (miss.Length == 0) continue;
                var pts = new List<(double, double)>(miss.Length + 1);
                for (int i = 0; i < miss.Length; i++) pts.Add((Math.Max(miss[i], 1e-3), (i + 1) / (double)miss.Length));
                lo = Math.Min(lo, Math.Max(miss[0], 1e-3));
                hi = Math.Max(hi, miss[^1]);
                pts.Insert(0, (pts[0].Item1, 0));
                cdf.Series.Add(new PlotSeries(m.Laws[l], LawColors[l % LawColors.Length], pts, Step: true, WidthPx: 2));
            }
            if (double.IsFinite(lo))
            {
                cdf.XMin = Math.Pow(10, Math.Floor(Math.Log10(Math.Min(lo, info.KillRadiusM))));
                cdf.XMax = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(hi, info.KillRadiusM * 1.01))));
                cdf.VerticalLines.Add((info.KillRadiusM, $"kill radius {info.KillRadiusM.ToString("0.##", ic)} m"));
            }
            sb.Append(cdf.Render());

            var traces = result.Trajectories.Where(t => t.Scenario == info.Name && t.Points.Count > 0).ToList();
            if (traces.Count > 0)
            {
                var (top, side) = TrajectoryPlots(traces, t => LawColors[lawIndex.GetValueOrDefault(t.Law) % LawColors.Length], t => t.Law, $"s{s}");
                sb.Append(top.Render()).Append(side.Render());
            }
            sb.Append("</div>\n");
            if (traces.Count > 0)
                sb.Append(ic, $"<p class=\"note\">Trajectories: runs {string.Join(", ", traces.Select(t => t.Run).Distinct().Order())} of each law (solid, law colour), the target in grey (dashed); square = start, &times; = closest approach. Side view: distance along the interceptor&rsquo;s path vs altitude.</p>\n");
        }
        HtmlPage.End(sb);
        return sb.ToString();
    }

    public static void AppendSummaryTable(StringBuilder sb, IReadOnlyList<ScenarioSummary> summaries)
    {
        var ic = CultureInfo.InvariantCulture;
        sb.Append("<table class=\"sum\">\n<thead><tr><th>Scenario</th><th>Law</th><th>Runs</th>");
        foreach (double r in CampaignSummary.PkRadiiM) sb.Append(ic, $"<th>Pk {r.ToString("0.0", ic)} m</th>");
        sb.Append("<th>Median miss</th><th>P90 miss</th><th>CEP</th><th>Interceptor</th><th>Cost per kill</th><th>Target</th><th>Target &divide; cost/kill</th></tr></thead>\n<tbody>\n");
        foreach (var s in summaries)
        {
            sb.Append(ic, $"<tr><td><a href=\"#{Html.Escape(s.Name)}\">{Html.Escape(s.Name)}</a></td><td>{Html.Escape(s.Law)}</td><td class=\"n\">{s.Runs}</td>");
            foreach (double pk in s.Pk) sb.Append(ic, $"<td class=\"n\" style=\"background:{PkColor(pk)}\">{pk.ToString("0.00", ic)}</td>");
            sb.Append(ic, $"<td class=\"n\">{Metres(s.MissMedianM)}</td><td class=\"n\">{Metres(s.MissP90M)}</td><td class=\"n\">{Metres(s.CepM)}</td>");
            sb.Append(ic, $"<td class=\"n\">${s.UnitCostUsd.ToString("N0", ic)}</td>");
            sb.Append(s.CostPerKillUsd is { } c ? string.Create(ic, $"<td class=\"n\"><b>${c.ToString("N0", ic)}</b></td>") : "<td class=\"n\">no kill</td>");
            sb.Append(ic, $"<td class=\"n\">${s.TargetCostUsd.ToString("N0", ic)}</td>");
            sb.Append(s.CostPerKillUsd is { } c2 && c2 > 0 ? string.Create(ic, $"<td class=\"n\">{(s.TargetCostUsd / c2).ToString("0.0", ic)}&times;</td>") : "<td class=\"n\">&ndash;</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody></table>\n");
    }

    private static string Metres(double v) =>
        v < 10 ? v.ToString("0.00", CultureInfo.InvariantCulture) + " m" : v.ToString("0.0", CultureInfo.InvariantCulture) + " m";

    /// <summary>White (Pk 0) to green (Pk 1).</summary>
    private static string PkColor(double pk)
    {
        pk = Math.Clamp(pk, 0, 1);
        int r = (int)Math.Round(255 - pk * (255 - 170)), g = (int)Math.Round(255 - pk * (255 - 222)), b = (int)Math.Round(255 - pk * (255 - 170));
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    /// <summary>Top view (east vs north) and side view (distance along the interceptor's path vs altitude).</summary>
    public static (SvgPlot Top, SvgPlot Side) TrajectoryPlots(IReadOnlyList<TrajectoryTrace> traces, Func<TrajectoryTrace, string> color, Func<TrajectoryTrace, string> label, string id)
    {
        var top = new SvgPlot { Id = "top" + id, Title = "Top view", XLabel = "east (m)", YLabel = "north (m)", EqualAspect = true, WidthPx = 440, HeightPx = 320 };
        var side = new SvgPlot { Id = "side" + id, Title = "Side view", XLabel = "distance along the interceptor's path (m)", YLabel = "altitude (m)", WidthPx = 440, HeightPx = 320 };
        var first = traces[0].Points;
        var origin = first[0].InterceptorPosNedM;
        var end = first[^1].InterceptorPosNedM;
        var dir = new Vector3d(end.X - origin.X, end.Y - origin.Y, 0).NormalizedOr(new Vector3d(1, 0, 0));
        double Along(Vector3d p) => (p.X - origin.X) * dir.X + (p.Y - origin.Y) * dir.Y;
        bool targetLegend = true;
        foreach (var t in traces)
        {
            var tgtTop = t.Points.Select(p => (p.TargetPosNedM.Y, p.TargetPosNedM.X)).ToList();
            var tgtSide = t.Points.Select(p => (Along(p.TargetPosNedM), -p.TargetPosNedM.Z)).ToList();
            top.Series.Add(new PlotSeries("target", TargetColor, tgtTop, Dashed: true, WidthPx: 1.3, ShowInLegend: targetLegend));
            side.Series.Add(new PlotSeries("target", TargetColor, tgtSide, Dashed: true, WidthPx: 1.3, ShowInLegend: targetLegend));
            targetLegend = false;
        }
        foreach (var t in traces)
        {
            string c = color(t);
            top.Series.Add(new PlotSeries(label(t), c, t.Points.Select(p => (p.InterceptorPosNedM.Y, p.InterceptorPosNedM.X)).ToList()));
            side.Series.Add(new PlotSeries(label(t), c, t.Points.Select(p => (Along(p.InterceptorPosNedM), -p.InterceptorPosNedM.Z)).ToList()));
            var s0 = t.Points[0];
            var ca = t.Points[^1];
            string runLabel = string.Create(CultureInfo.InvariantCulture, $"{label(t)} run {t.Run}");
            top.Markers.Add(new PlotMarker(s0.InterceptorPosNedM.Y, s0.InterceptorPosNedM.X, c, runLabel + " start", "square"));
            top.Markers.Add(new PlotMarker(ca.InterceptorPosNedM.Y, ca.InterceptorPosNedM.X, c, runLabel + " end", "x"));
            side.Markers.Add(new PlotMarker(Along(s0.InterceptorPosNedM), -s0.InterceptorPosNedM.Z, c, runLabel + " start", "square"));
            side.Markers.Add(new PlotMarker(Along(ca.InterceptorPosNedM), -ca.InterceptorPosNedM.Z, c, runLabel + " end", "x"));
            top.Markers.Add(new PlotMarker(s0.TargetPosNedM.Y, s0.TargetPosNedM.X, TargetColor, "target start", "square"));
            side.Markers.Add(new PlotMarker(Along(s0.TargetPosNedM), -s0.TargetPosNedM.Z, TargetColor, "target start", "square"));
        }
        return (top, side);
    }
}

/// <summary>Shared page frame and style of the HTML reports.</summary>
public static class HtmlPage
{
    public static void Begin(StringBuilder sb, string title)
    {
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").Append(Html.Escape(title)).Append("</title>\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>\n")
          .Append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222;background:#fafafa}\n")
          .Append("h1{font-size:1.6em;margin:0 0 6px}h2{font-size:1.25em;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}\n")
          .Append(".meta{color:#555;font-size:.9em;margin:4px 0}.desc{margin:4px 0}.note{color:#555;font-size:.85em;max-width:1100px}\n")
          .Append("table.sum{border-collapse:collapse;font-size:.85em;background:#fff}table.sum th,table.sum td{border:1px solid #ccc;padding:3px 7px;white-space:nowrap}\n")
          .Append("table.sum th{background:#eef1f5;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
          .Append(".row{display:flex;flex-wrap:wrap;gap:10px}.row svg{border:1px solid #ddd;background:#fff}\n")
          .Append("svg text{font-family:system-ui,sans-serif}.pt{font-size:13px;font-weight:600;fill:#222}.tx{font-size:10.5px;fill:#444;text-anchor:middle}.ty{font-size:10.5px;fill:#444;text-anchor:end}\n")
          .Append(".xl{font-size:11.5px;fill:#333;text-anchor:middle}.g{stroke:#e6e6e6;stroke-width:1}.frame{fill:none;stroke:#999;stroke-width:1}\n")
          .Append(".vl{stroke:#888;stroke-width:1;stroke-dasharray:3 3}.vt{font-size:10px;fill:#666}.lg{fill:#fff;fill-opacity:.88;stroke:#ccc}.lt{font-size:11px;fill:#222}\n")
          .Append("ol.events{font-size:.9em}ol.events li{margin:2px 0}.kv td{padding:2px 10px 2px 0}.ok{color:#1a7f37;font-weight:600}.bad{color:#b42318;font-weight:600}\n")
          .Append("</style></head><body>\n");
    }

    public static void End(StringBuilder sb) => sb.Append("</body></html>\n");
}
