using System.Xml.Linq;

namespace Interceptor.Mavlink.Generator;

/// <summary>One message field as defined in the XML.</summary>
public sealed record MavlinkFieldDef(
    string Name, string XmlType, string BaseType, int ArrayLength, string? Enum, string? Units, bool IsExtension)
{
    /// <summary>Size of one element on the wire.</summary>
    public int ElementSize => MavlinkDefinitions.TypeSize(BaseType);
    /// <summary>Total size on the wire.</summary>
    public int WireSize => ElementSize * Math.Max(1, ArrayLength);
    /// <summary>True for name[N] array fields.</summary>
    public bool IsArray => ArrayLength > 0;
}

/// <summary>One message definition. <see cref="WireFields"/> is the wire order: non-extension fields
/// stable-sorted by element size (largest first), then extension fields in XML order.</summary>
public sealed record MavlinkMessageDef(uint Id, string Name, string DefinedIn, IReadOnlyList<MavlinkFieldDef> XmlFields)
{
    /// <summary>Fields in wire order.</summary>
    public IReadOnlyList<MavlinkFieldDef> WireFields { get; } =
        [.. XmlFields.Where(f => !f.IsExtension).OrderByDescending(f => f.ElementSize), .. XmlFields.Where(f => f.IsExtension)];

    /// <summary>Base payload length (no extensions).</summary>
    public int MinLength => XmlFields.Where(f => !f.IsExtension).Sum(f => f.WireSize);
    /// <summary>Payload length including extensions.</summary>
    public int MaxLength => XmlFields.Sum(f => f.WireSize);

    /// <summary>CRC_EXTRA: X.25 CRC over "NAME " then, per non-extension field in wire order, "type " "name "
    /// and the array length byte for arrays; folded as low byte XOR high byte.</summary>
    public byte CrcExtra
    {
        get
        {
            ushort crc = 0xFFFF;
            crc = Accumulate(crc, Name + " ");
            foreach (var f in WireFields.Where(f => !f.IsExtension))
            {
                crc = Accumulate(crc, f.BaseType + " ");
                crc = Accumulate(crc, f.Name + " ");
                if (f.IsArray) crc = Accumulate(crc, (byte)f.ArrayLength);
            }
            return (byte)((crc & 0xFF) ^ (crc >> 8));
        }
    }

    /// <summary>Wire offset of a field.</summary>
    public int OffsetOf(MavlinkFieldDef field)
    {
        int off = 0;
        foreach (var f in WireFields)
        {
            if (ReferenceEquals(f, field)) return off;
            off += f.WireSize;
        }
        throw new ArgumentException($"field {field.Name} is not in message {Name}", nameof(field));
    }

    private static ushort Accumulate(ushort crc, string text)
    {
        foreach (char c in text) crc = Accumulate(crc, (byte)c);
        return crc;
    }

    private static ushort Accumulate(ushort crc, byte b)
    {
        byte tmp = (byte)(b ^ (byte)(crc & 0xFF));
        tmp ^= (byte)(tmp << 4);
        return (ushort)((crc >> 8) ^ (tmp << 8) ^ (tmp << 3) ^ (tmp >> 4));
    }
}

/// <summary>One enum entry.</summary>
public sealed record MavlinkEnumEntryDef(string Name, ulong Value, string DefinedIn);

/// <summary>One enum, merged over every file that defines entries for it.</summary>
public sealed class MavlinkEnumDef(string name, bool isBitmask, string definedIn)
{
    /// <summary>XML name.</summary>
    public string Name { get; } = name;
    /// <summary>bitmask="true" in any defining file.</summary>
    public bool IsBitmask { get; internal set; } = isBitmask;
    /// <summary>Files that contribute entries, in load order.</summary>
    public List<string> DefinedIn { get; } = [definedIn];
    /// <summary>Entries in load order.</summary>
    public List<MavlinkEnumEntryDef> Entries { get; } = [];
}

/// <summary>A dialect loaded from an XML file and its includes (transitively, includes first, each file once).</summary>
public sealed class MavlinkDefinitions
{
    /// <summary>Messages ordered by id.</summary>
    public IReadOnlyList<MavlinkMessageDef> Messages { get; }
    /// <summary>Enums ordered by name.</summary>
    public IReadOnlyList<MavlinkEnumDef> Enums { get; }
    /// <summary>Files loaded, in load order (file names only).</summary>
    public IReadOnlyList<string> Files { get; }

    private MavlinkDefinitions(IReadOnlyList<MavlinkMessageDef> messages, IReadOnlyList<MavlinkEnumDef> enums, IReadOnlyList<string> files)
    {
        Messages = messages; Enums = enums; Files = files;
    }

    /// <summary>Wire size of a base type.</summary>
    public static int TypeSize(string baseType) => baseType switch
    {
        "char" or "int8_t" or "uint8_t" => 1,
        "int16_t" or "uint16_t" => 2,
        "int32_t" or "uint32_t" or "float" => 4,
        "int64_t" or "uint64_t" or "double" => 8,
        _ => throw new FormatException($"unknown MAVLink field type '{baseType}'"),
    };

    /// <summary>Loads <paramref name="rootXmlPath"/> and everything it includes.</summary>
    public static MavlinkDefinitions Load(string rootXmlPath)
    {
        var files = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var messages = new Dictionary<uint, MavlinkMessageDef>();
        var messageNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var enums = new Dictionary<string, MavlinkEnumDef>(StringComparer.Ordinal);
        LoadFile(Path.GetFullPath(rootXmlPath), visited, files, messages, messageNames, enums);
        return new MavlinkDefinitions(
            [.. messages.Values.OrderBy(m => m.Id)],
            [.. enums.Values.OrderBy(e => e.Name, StringComparer.Ordinal)],
            files);
    }

    private static void LoadFile(string path, HashSet<string> visited, List<string> files,
        Dictionary<uint, MavlinkMessageDef> messages, Dictionary<string, string> messageNames, Dictionary<string, MavlinkEnumDef> enums)
    {
        if (!visited.Add(path)) return;
        var doc = XDocument.Load(path);
        var root = doc.Root ?? throw new FormatException($"{path}: empty document");
        string dir = Path.GetDirectoryName(path)!;
        foreach (var inc in root.Elements("include"))
            LoadFile(Path.GetFullPath(Path.Combine(dir, inc.Value.Trim())), visited, files, messages, messageNames, enums);
        string file = Path.GetFileName(path);
        files.Add(file);

        foreach (var e in root.Element("enums")?.Elements("enum") ?? [])
        {
            string name = Attr(e, "name", path);
            bool bitmask = (string?)e.Attribute("bitmask") == "true";
            if (!enums.TryGetValue(name, out var def))
                enums[name] = def = new MavlinkEnumDef(name, bitmask, file);
            else
            {
                if (!def.DefinedIn.Contains(file)) def.DefinedIn.Add(file);
                def.IsBitmask |= bitmask;
            }
            foreach (var entry in e.Elements("entry"))
            {
                string entryName = Attr(entry, "name", path);
                string? valueText = (string?)entry.Attribute("value");
                ulong value = valueText is null
                    ? (def.Entries.Count == 0 ? 0 : def.Entries.Max(x => x.Value) + 1)
                    : ParseValue(valueText, path, entryName);
                var existing = def.Entries.FirstOrDefault(x => x.Name == entryName);
                if (existing is not null)
                {
                    if (existing.Value != value)
                        throw new FormatException($"{path}: enum {name} entry {entryName} = {value} conflicts with {existing.Value} from {existing.DefinedIn}");
                    continue;
                }
                def.Entries.Add(new MavlinkEnumEntryDef(entryName, value, file));
            }
        }

        foreach (var m in root.Element("messages")?.Elements("message") ?? [])
        {
            string name = Attr(m, "name", path);
            uint id = uint.Parse(Attr(m, "id", path), System.Globalization.CultureInfo.InvariantCulture);
            if (messages.TryGetValue(id, out var prior))
                throw new FormatException($"{path}: message id {id} ({name}) already defined as {prior.Name} in {prior.DefinedIn}");
            if (messageNames.TryGetValue(name, out var priorFile))
                throw new FormatException($"{path}: message name {name} already defined in {priorFile}");
            var fields = new List<MavlinkFieldDef>();
            bool ext = false;
            foreach (var el in m.Elements())
            {
                if (el.Name == "extensions") { ext = true; continue; }
                if (el.Name != "field") continue;
                string type = Attr(el, "type", path);
                string fname = Attr(el, "name", path);
                string baseType = type;
                int arrayLen = 0;
                int br = type.IndexOf('[');
                if (br >= 0)
                {
                    baseType = type[..br];
                    arrayLen = int.Parse(type[(br + 1)..type.IndexOf(']')], System.Globalization.CultureInfo.InvariantCulture);
                    if (arrayLen <= 0) throw new FormatException($"{path}: {name}.{fname} has array length {arrayLen}");
                }
                if (baseType == "uint8_t_mavlink_version") baseType = "uint8_t";
                TypeSize(baseType);
                fields.Add(new MavlinkFieldDef(fname, type, baseType, arrayLen, (string?)el.Attribute("enum"), (string?)el.Attribute("units"), ext));
            }
            var def = new MavlinkMessageDef(id, name, file, fields);
            if (def.MaxLength > 255) throw new FormatException($"{path}: message {name} payload {def.MaxLength} bytes exceeds 255");
            messages[id] = def;
            messageNames[name] = file;
        }
    }

    private static ulong ParseValue(string text, string path, string entry)
    {
        string t = text.Trim();
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t[2..], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out ulong v)
            : ulong.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out v);
        if (!ok) throw new FormatException($"{path}: enum entry {entry} has value '{text}' that is not a non-negative integer");
        return v;
    }

    private static string Attr(XElement e, string name, string path) =>
        (string?)e.Attribute(name) ?? throw new FormatException($"{path}: <{e.Name}> without attribute '{name}'");
}
