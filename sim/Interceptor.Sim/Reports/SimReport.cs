using System.Globalization;
using System.Text;
using Interceptor.Core;
using Interceptor.Sim.Campaign;
using Interceptor.Sim.Scenarios;

namespace Interceptor.Sim.Reports;

/// <summary>One narrated event of a single engagement.</summary>
public readonly record struct SimEvent(double TimeS, string Text);

/// <summary>Narration and HTML report of one engagement (<c>interceptor sim</c>).</summary>
public static class SimReport
{
    /// <summary>Field-of-view changes shorter than this are not narrated (the target flickers at the FOV edge) [s].</summary>
    public const double FovDebounceS = 0.3;

    private static bool Persists(IReadOnlyList<TrajectorySample> tr, int from, double holdS)
    {
        bool state = tr[from].TargetInFov;
        for (int j = from + 1; j < tr.Count && tr[j].TimeS - tr[from].TimeS < holdS; j++)
            if (tr[j].TargetInFov != state) return false;
        return true;
    }

    private static readonly double[] RangeMilestonesM = [5000, 3000, 2000, 1000, 500, 200, 100, 50, 20, 10];

    /// <summary>Events of a run in time order, derived from the recorded trajectory and the result:
    /// launch, track and seeker acquisition, field-of-view changes, range milestones, closest approach, outcome.</summary>
    public static List<SimEvent> Narrate(ScenarioSpec spec, EngagementResult r)
    {
        var ic = CultureInfo.InvariantCulture;
        var ev = new List<SimEvent>();
        var tr = r.Trajectory;
        if (tr.Count > 0)
        {
            var s0 = tr[0];
            var rel = s0.TargetPosNedM - s0.InterceptorPosNedM;
            double bearing = Angles.ToDeg(Math.Atan2(rel.Y, rel.X));
            if (bearing < 0) bearing += 360;
            ev.Add(new(s0.TimeS, string.Create(ic,
                $"launch: interceptor at {-s0.InterceptorPosNedM.Z:0} m altitude, target {rel.Length:0} m away on bearing {bearing:000} deg at {-s0.TargetPosNedM.Z:0} m altitude, {s0.TargetVelNedMs.Length:0.0} m/s; flying on {(spec.Cue.Enabled ? "the C2 cue" : "the seeker")}")));
            bool hadEstimate = false, inFov = false;
            int milestone = 0;
            while (milestone < RangeMilestonesM.Length && RangeMilestonesM[milestone] >= rel.Length) milestone++;
            for (int i = 0; i < tr.Count; i++)
            {
                var s = tr[i];
                if (s.HasEstimate && !hadEstimate)
                {
                    var err = (s.EstimatedTargetPosNedM - s.TargetPosNedM).Length;
                    ev.Add(new(s.TimeS, string.Create(ic, $"target track established (position error {err:0.0} m)")));
                    hadEstimate = true;
                }
                if (s.TargetInFov != inFov && Persists(tr, i, FovDebounceS))
                {
                    ev.Add(new(s.TimeS, s.TargetInFov ? "target enters the camera field of view" : "target leaves the camera field of view"));
                    inFov = s.TargetInFov;
                }
                double range = (s.TargetPosNedM - s.InterceptorPosNedM).Length;
                if (milestone < RangeMilestonesM.Length && range <= RangeMilestonesM[milestone] && s.TimeS < r.TimeOfClosestApproachS)
                {
                    var relV = s.TargetVelNedMs - s.InterceptorVelNedMs;
                    var los = (s.TargetPosNedM - s.InterceptorPosNedM).NormalizedOr(Vector3d.UnitX);
                    double closing = -Vector3d.Dot(relV, los);
                    ev.Add(new(s.TimeS, string.Create(ic, $"range {range:0} m, closing at {closing:0.0} m/s, interceptor speed {s.InterceptorVelNedMs.Length:0.0} m/s, altitude {-s.InterceptorPosNedM.Z:0} m")));
                    while (milestone < RangeMilestonesM.Length && range <= RangeMilestonesM[milestone]) milestone++;
                }
            }
        }
        if (r.FirstDetectionTimeS is { } fd)
            ev.Add(new(fd, string.Create(ic, $"seeker: first detection of the target ({r.SeekerDetections} of {r.SeekerFrames} frames had a detection over the run)")));
        else
            ev.Add(new(0, "seeker: the target was never detected"));
        ev.Add(new(r.TimeOfClosestApproachS, string.Create(ic, $"closest approach: miss distance {r.MissDistanceM:0.000} m at {r.ClosingSpeedMs:0.0} m/s relative speed")));
        ev.Add(new(r.EndTimeS, $"end: {Outcome(r)}"));
        ev.Sort((a, b) => a.TimeS.CompareTo(b.TimeS));
        return ev;
    }

    public static string Outcome(EngagementResult r) => r.Outcome switch
    {
        EngagementOutcome.ClosestApproach => string.Create(CultureInfo.InvariantCulture, $"passed the closest approach, miss {r.MissDistanceM:0.00} m"),
        EngagementOutcome.TargetLost => "target lost (no valid track for too long)",
        EngagementOutcome.Timeout => "timeout without a closest approach",
        EngagementOutcome.Aborted => "aborted by the safety gate",
        EngagementOutcome.GroundCollision => "interceptor hit the ground",
        EngagementOutcome.TargetReachedGround => "target reached the ground first",
        _ => r.Outcome.ToString(),
    };

    public static string Render(LoadedScenario scenario, EngagementResult r, IReadOnlyList<SimEvent> events)
    {
        var ic = CultureInfo.InvariantCulture;
        var spec = scenario.Spec;
        var sb = new StringBuilder(1 << 15);
        HtmlPage.Begin(sb, $"Interceptor sim: {spec.Name}");
        sb.Append(ic, $"<h1>Engagement: {Html.Escape(spec.Name)}</h1>\n");
        if (spec.Description.Length > 0) sb.Append(ic, $"<p class=\"desc\">{Html.Escape(spec.Description)}</p>\n");
        bool kill = r.Outcome == EngagementOutcome.ClosestApproach && r.MissDistanceM <= scenario.KillRadiusM;
        sb.Append("<table class=\"kv\">\n");
        void Row(string k, string v) => sb.Append(ic, $"<tr><td>{k}</td><td>{v}</td></tr>\n");
        Row("Scenario file", Html.Escape(scenario.Path));
        Row("Guidance law", Html.Escape(r.Law));
        Row("Seed", r.Seed.ToString(ic));
        Row("Outcome", $"<span class=\"{(kill ? "ok" : "bad")}\">{Html.Escape(Outcome(r))}{(kill ? " &mdash; within the kill radius" : "")}</span>");
        Row("Miss distance", string.Create(ic, $"{r.MissDistanceM:0.000} m (kill radius {scenario.KillRadiusM:0.0#} m)"));
        Row("Time of closest approach", string.Create(ic, $"{r.TimeOfClosestApproachS:0.000} s"));
        Row("Relative speed at closest approach", string.Create(ic, $"{r.ClosingSpeedMs:0.0} m/s"));
        Row("Peak acceleration", string.Create(ic, $"{r.PeakAccelMs2:0.0} m/s&sup2; ({r.PeakAccelMs2 / Wgs84.GravityMs2:0.0} g)"));
        Row("Seeker", string.Create(ic, $"{r.SeekerDetections} detections in {r.SeekerFrames} frames, first at {(r.FirstDetectionTimeS is { } f ? f.ToString("0.00", ic) + " s" : "never")}"));
        Row("Safety-gate interventions", r.GateInterventions.ToString(ic));
        Row("Cost", string.Create(ic, $"interceptor ${spec.UnitCostUsd:N0} vs target ${spec.TargetCostUsd:N0}"));
        sb.Append("</table>\n<h2>Timeline</h2>\n<ol class=\"events\">\n");
        foreach (var e in events) sb.Append(ic, $"<li><b>t = {e.TimeS:0.00} s</b> &nbsp; {Html.Escape(e.Text)}</li>\n");
        sb.Append("</ol>\n");

        if (r.Trajectory.Count > 1)
        {
            var trace = TrajectoryTrace.FromResult(spec.Name, r.Law, 0, r.Trajectory);
            sb.Append("<h2>Trajectories</h2>\n<div class=\"row\">\n");
            var (top, side) = CampaignReport.TrajectoryPlots([trace], _ => CampaignReport.LawColors[0], t => "interceptor (" + t.Law + ")", "sim");
            sb.Append(top.Render()).Append(side.Render()).Append("</div>\n<div class=\"row\" style=\"margin-top:10px\">\n");
            var range = new SvgPlot { Id = "range", Title = "Range to target", XLabel = "time (s)", YLabel = "range (m)", WidthPx = 440, HeightPx = 320, YMin = 0 };
            range.Series.Add(new PlotSeries("range", CampaignReport.LawColors[0], r.Trajectory.Select(s => (s.TimeS, (s.TargetPosNedM - s.InterceptorPosNedM).Length)).ToList(), WidthPx: 2));
            sb.Append(range.Render());
            var speed = new SvgPlot { Id = "speed", Title = "Speed", XLabel = "time (s)", YLabel = "speed (m/s)", WidthPx = 440, HeightPx = 320, YMin = 0, LegendBottom = true };
            speed.Series.Add(new PlotSeries("interceptor", CampaignReport.LawColors[0], r.Trajectory.Select(s => (s.TimeS, s.InterceptorVelNedMs.Length)).ToList(), WidthPx: 2));
            speed.Series.Add(new PlotSeries("target", CampaignReport.TargetColor, r.Trajectory.Select(s => (s.TimeS, s.TargetVelNedMs.Length)).ToList(), Dashed: true));
            sb.Append(speed.Render());
            sb.Append("</div>\n<p class=\"note\">Top view: east vs north; side view: distance along the interceptor&rsquo;s path vs altitude. Square = start, &times; = end of the recording (the closest approach is always recorded).</p>\n");
        }
        HtmlPage.End(sb);
        return sb.ToString();
    }
}
