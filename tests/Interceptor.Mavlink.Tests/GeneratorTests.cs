using System.Globalization;
using System.Xml.Linq;
using Interceptor.Mavlink.Generator;
using Interceptor.Mavlink.Messages;
using Interceptor.Testing;

namespace Interceptor.Mavlink.Tests;

public class GeneratorTests
{
    private static string DialectXml => RepoPaths.SharedFile("mavlink", "v1.0", "ardupilotmega.xml");

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Output = new(() => MavlinkGenerator.Generate(DialectXml));
    private static readonly Lazy<MavlinkDefinitions> Defs = new(() => MavlinkDefinitions.Load(DialectXml));

    [Fact]
    public void Committed_generated_code_equals_a_fresh_generation()
    {
        string dir = RepoPaths.RepoFile("src", "Interceptor.Mavlink", "Generated");
        var committed = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(dir, p).Replace('\\', '/'), File.ReadAllText);
        var fresh = Output.Value;
        Assert.Equal(fresh.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in fresh)
            Assert.True(content == committed[path], $"{path} differs from the generator output: regenerate (see src/Interceptor.Mavlink/README.md)");
    }

    [Fact]
    public void Dialect_has_325_messages_with_unique_ids_and_names_from_all_included_files()
    {
        var defs = Defs.Value;
        Assert.Equal(325, defs.Messages.Count);
        Assert.Equal(325, defs.Messages.Select(m => m.Id).Distinct().Count());
        Assert.Equal(325, defs.Messages.Select(m => m.Name).Distinct().Count());
        Assert.Equal(["minimal.xml", "standard.xml", "common.xml", "uAvionix.xml", "icarous.xml", "loweheiser.xml", "cubepilot.xml", "csAirLink.xml", "ardupilotmega.xml"], defs.Files);
        Assert.Equal(325, MavlinkMessages.Count);
        Assert.Equal(325, MavlinkMessages.All.Count);
        Assert.Equal(325, Output.Value.Keys.Count(k => k.StartsWith("Messages/", StringComparison.Ordinal)));
        Assert.Equal("AUTOPILOT_VERSION", defs.Messages.Single(m => m.Id == 148).Name);
        Assert.Equal("standard.xml", defs.Messages.Single(m => m.Id == 148).DefinedIn);
    }

    /// <summary>The table in ../shared/mavlink/SOURCE.md: | message | id | crc_extra | base len | len incl. extensions | defined in |.</summary>
    [Fact]
    public void Crc_extra_and_lengths_match_the_table_in_source_md()
    {
        var rows = File.ReadAllLines(RepoPaths.SharedFile("mavlink", "SOURCE.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length == 6 && uint.TryParse(c[1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToList();
        Assert.True(rows.Count >= 70, $"only {rows.Count} table rows parsed");
        var byId = Defs.Value.Messages.ToDictionary(m => m.Id);
        foreach (var c in rows)
        {
            uint id = uint.Parse(c[1], CultureInfo.InvariantCulture);
            var def = byId[id];
            Assert.Equal(c[0], def.Name);
            Assert.Equal(byte.Parse(c[2], CultureInfo.InvariantCulture), def.CrcExtra);
            Assert.Equal(int.Parse(c[3], CultureInfo.InvariantCulture), def.MinLength);
            Assert.Equal(int.Parse(c[4], CultureInfo.InvariantCulture), def.MaxLength);
            Assert.Equal(c[5], def.DefinedIn);
            var info = MavlinkMessages.Find(id)!;
            Assert.Equal((c[0], def.CrcExtra, def.MinLength, def.MaxLength), (info.Name, info.CrcExtra, (int)info.MinLength, (int)info.MaxLength));
        }
        // The widely known values quoted in SOURCE.md, through the generated structs.
        Assert.Equal(50, HeartbeatMessage.MavlinkCrcExtra);
        Assert.Equal(152, CommandLongMessage.MavlinkCrcExtra);
        Assert.Equal(143, SetPositionTargetLocalNedMessage.MavlinkCrcExtra);
        Assert.Equal((91, 230, 233), (OdometryMessage.MavlinkCrcExtra, OdometryMessage.MavlinkMinLength, OdometryMessage.MavlinkMaxLength));
    }

    [Fact]
    public void Fields_are_ordered_by_type_size_and_extensions_follow_unreordered()
    {
        var byName = Defs.Value.Messages.ToDictionary(m => m.Name);
        Assert.Equal(["custom_mode", "type", "autopilot", "base_mode", "system_status", "mavlink_version"],
            byName["HEARTBEAT"].WireFields.Select(f => f.Name));
        // SYS_STATUS: uint32 x3, uint16 x8 (XML order kept among equals), int16, int8; then extensions in XML order.
        var sys = byName["SYS_STATUS"].WireFields.Select(f => f.Name).ToArray();
        Assert.Equal(["onboard_control_sensors_present", "onboard_control_sensors_enabled", "onboard_control_sensors_health", "load",
            "voltage_battery", "current_battery", "drop_rate_comm", "errors_comm", "errors_count1", "errors_count2", "errors_count3",
            "errors_count4", "battery_remaining", "onboard_control_sensors_present_extended", "onboard_control_sensors_enabled_extended",
            "onboard_control_sensors_health_extended"], sys);
        foreach (var m in Defs.Value.Messages)
        {
            var core = m.WireFields.Where(f => !f.IsExtension).Select(f => f.ElementSize).ToArray();
            Assert.Equal(core.OrderByDescending(x => x), core);
            Assert.Equal(m.XmlFields.Where(f => f.IsExtension), m.WireFields.Where(f => f.IsExtension));
        }
        // Arrays and char fields: STATUSTEXT.text is char[50], exposed as a fixed buffer with string helpers.
        var text = byName["STATUSTEXT"].XmlFields.Single(f => f.Name == "text");
        Assert.Equal(("char", 50), (text.BaseType, text.ArrayLength));
        var st = new StatustextMessage { Text = CharArray50.FromString("Armed by external command") };
        Assert.Equal("Armed by external command", st.Text.ToString());
        Assert.Throws<ArgumentException>(() => CharArray50.FromString(new string('x', 51)));
    }

    [Fact]
    public void Enums_merge_entries_across_files()
    {
        var cmd = Defs.Value.Enums.Single(e => e.Name == "MAV_CMD");
        Assert.Equal(["common.xml", "loweheiser.xml", "ardupilotmega.xml"], cmd.DefinedIn);
        Assert.Equal(176ul, cmd.Entries.Single(e => e.Name == "MAV_CMD_DO_SET_MODE").Value);
        Assert.Equal("loweheiser.xml", cmd.Entries.Single(e => e.Name == "MAV_CMD_LOWEHEISER_SET_STATE").DefinedIn);
        Assert.Equal(10151u, (uint)MavCmd.LoweheiserSetState);
        Assert.Equal(215u, (uint)MavCmd.DoSetResumeRepeatDist);
        Assert.Equal(176u, (uint)MavCmd.DoSetMode);
        Assert.Equal(511u, (uint)MavCmd.SetMessageInterval);
        Assert.Equal(cmd.Entries.Count, Enum.GetValues<MavCmd>().Length);
        Assert.Equal(Defs.Value.Enums.Count, typeof(MavCmd).Assembly.GetTypes().Count(t => t.IsEnum && t.Namespace == MavlinkGenerator.MessagesNamespace));
    }

    [Fact]
    public void Output_carries_no_description_prose()
    {
        string all = string.Concat(Output.Value.Values);
        int checkedCount = 0;
        foreach (var file in Directory.EnumerateFiles(RepoPaths.SharedFile("mavlink", "v1.0"), "*.xml"))
            foreach (var d in XDocument.Load(file).Descendants("description"))
            {
                string text = d.Value.Trim();
                if (text.Length < 40) continue;
                checkedCount++;
                Assert.DoesNotContain(text[..40], all, StringComparison.Ordinal);
            }
        Assert.True(checkedCount > 1000);
    }

    [Fact]
    public void WriteTo_writes_every_file_and_removes_stale_ones()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mavgen-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "Messages"));
            File.WriteAllText(Path.Combine(dir, "Messages", "OLD_MESSAGE.g.cs"), "// stale");
            int n = MavlinkGenerator.WriteTo(DialectXml, dir);
            Assert.Equal(Output.Value.Count, n);
            Assert.False(File.Exists(Path.Combine(dir, "Messages", "OLD_MESSAGE.g.cs")));
            Assert.Equal(Output.Value["Messages/HEARTBEAT.g.cs"], File.ReadAllText(Path.Combine(dir, "Messages", "HEARTBEAT.g.cs")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
