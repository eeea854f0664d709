using System.Globalization;
using Interceptor.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Interceptor.Sim.Scenarios;

/// <summary>Thrown for a bad scenario/baseline file. The message starts with "path:line: field = value".</summary>
public sealed class ScenarioFileException(string message) : Exception(message);

/// <summary>A YAML document read through YamlDotNet's representation model (no reflection, AOT-safe),
/// remembering the line of every key read so validation failures can point at the file and line.</summary>
public sealed class YamlFile
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.OrdinalIgnoreCase);

    public string Path { get; }
    public YamlSection Root { get; }

    private YamlFile(string path, YamlMappingNode root)
    {
        Path = path;
        Root = new YamlSection(this, "", root);
    }

    public static YamlFile Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioFileException($"{path}: cannot read: {e.Message}");
        }
        return Parse(path, text);
    }

    public static YamlFile Parse(string path, string text)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            throw new ScenarioFileException($"{path}:{e.Start.Line}: YAML syntax error: {Innermost(e).Message}");
        }
        if (stream.Documents.Count == 0) throw new ScenarioFileException($"{path}:1: empty file: expected a mapping of sections");
        if (stream.Documents.Count > 1) throw new ScenarioFileException($"{path}:{stream.Documents[1].RootNode.Start.Line}: more than one YAML document");
        if (stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new ScenarioFileException($"{path}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping of sections at the top level");
        return new YamlFile(path, map);
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    internal void Remember(string fieldPath, int line) => _lines[fieldPath] = line;

    /// <summary>Line of a field read earlier ("target.weaveG"), or of its closest remembered parent.</summary>
    public int LineOf(string fieldPath)
    {
        string p = fieldPath;
        while (true)
        {
            if (_lines.TryGetValue(p, out int line)) return line;
            int dot = p.LastIndexOf('.');
            if (dot < 0) return Root.Line;
            p = p[..dot];
        }
    }

    /// <summary>Field paths remembered so far (for mapping validation messages back to lines).</summary>
    public IEnumerable<string> KnownFields => _lines.Keys;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Fail(string fieldPath, string valueText, string rule) =>
        throw new ScenarioFileException($"{Path}:{LineOf(fieldPath)}: {fieldPath} = {valueText}: {rule}");
}

/// <summary>A mapping in a <see cref="YamlFile"/> with typed, line-tracked accessors. Call
/// <see cref="RejectUnknownKeys"/> after reading every key you know: anything left is reported with its line.</summary>
public sealed class YamlSection
{
    private readonly YamlFile _file;
    private readonly YamlMappingNode _map;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    internal YamlSection(YamlFile file, string path, YamlMappingNode map)
    {
        _file = file;
        Path = path;
        _map = map;
    }

    public string Path { get; }
    public int Line => (int)_map.Start.Line;
    public YamlFile File => _file;

    private string Field(string key) => Path.Length == 0 ? key : Path + "." + key;

    private YamlNode? Get(string key)
    {
        _read.Add(key);
        foreach (var (k, v) in _map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                _file.Remember(Field(key), (int)k.Start.Line);
                return v;
            }
        }
        return null;
    }

    public bool Has(string key) => _map.Children.Keys.Any(k => k is YamlScalarNode s && s.Value == key);

    public YamlSection? OptionalSection(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return null;
        if (node is not YamlMappingNode m) throw Error(key, node, "expected a mapping (indented key: value lines)");
        return new YamlSection(_file, Field(key), m);
    }

    public YamlSection Section(string key) =>
        OptionalSection(key) ?? throw new ScenarioFileException($"{_file.Path}:{Line}: {Field(key)}: required section is missing");

    public string? OptionalString(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return null;
        if (node is not YamlScalarNode s) throw Error(key, node, "expected a text value");
        return s.Value ?? "";
    }

    public string String(string key, string? defaultValue = null) =>
        OptionalString(key) ?? defaultValue ?? throw Missing(key);

    public double? OptionalDouble(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return null;
        return ParseDouble(key, node);
    }

    public double Double(string key, double? defaultValue = null) =>
        OptionalDouble(key) ?? defaultValue ?? throw Missing(key);

    public int Int(string key, int? defaultValue = null)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return defaultValue ?? throw Missing(key);
        if (node is YamlScalarNode s && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)) return v;
        throw Error(key, node, "expected a whole number");
    }

    public bool Bool(string key, bool defaultValue)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return defaultValue;
        if (node is YamlScalarNode s)
        {
            switch (s.Value)
            {
                case "true" or "True" or "yes": return true;
                case "false" or "False" or "no": return false;
            }
        }
        throw Error(key, node, "expected true or false");
    }

    /// <summary>A list of mappings (<c>- key: value</c> items), each as a section named <c>key[i]</c>.</summary>
    public List<YamlSection> SectionList(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return new List<YamlSection>();
        if (node is not YamlSequenceNode seq) throw Error(key, node, "expected a list of mappings (lines starting with '- ')");
        var list = new List<YamlSection>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is not YamlMappingNode m) throw Error($"{key}[{i}]", seq.Children[i], "expected a mapping (key: value lines)");
            list.Add(new YamlSection(_file, $"{Field(key)}[{i}]", m));
        }
        return list;
    }

    /// <summary>A list of numbers, e.g. <c>[0, -1500, -100]</c>; <paramref name="count"/> = required length or -1.</summary>
    public double[]? OptionalDoubles(string key, int count = -1)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return null;
        if (node is not YamlSequenceNode seq) throw Error(key, node, count > 0 ? $"expected a list of {count} numbers, e.g. [1, 2, 3]" : "expected a list of numbers");
        if (count >= 0 && seq.Children.Count != count) throw Error(key, node, $"expected exactly {count} numbers, found {seq.Children.Count}");
        var result = new double[seq.Children.Count];
        for (int i = 0; i < result.Length; i++) result[i] = ParseDouble($"{key}[{i}]", seq.Children[i]);
        return result;
    }

    public Vector3d? OptionalVector(string key)
    {
        var v = OptionalDoubles(key, 3);
        return v is null ? null : new Vector3d(v[0], v[1], v[2]);
    }

    public Vector3d Vector(string key, Vector3d? defaultValue = null) =>
        OptionalVector(key) ?? defaultValue ?? throw Missing(key);

    /// <summary>A list of mappings (e.g. waypoints as [{...}]) or of number lists; returns the raw nodes' sections.</summary>
    public List<Vector3d>? OptionalVectorList(string key)
    {
        var node = Get(key);
        if (node is null || IsNull(node)) return null;
        if (node is not YamlSequenceNode seq) throw Error(key, node, "expected a list of [north, east, down] points");
        var list = new List<Vector3d>(seq.Children.Count);
        for (int i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            if (item is not YamlSequenceNode p || p.Children.Count != 3)
                throw new ScenarioFileException($"{_file.Path}:{item.Start.Line}: {Field(key)}[{i}] = {Show(item)}: expected [north, east, down] in metres");
            list.Add(new Vector3d(ParseDouble($"{key}[{i}][0]", p.Children[0]), ParseDouble($"{key}[{i}][1]", p.Children[1]), ParseDouble($"{key}[{i}][2]", p.Children[2])));
        }
        return list;
    }

    /// <summary>Every key not read so far is an error naming its line and the keys this section knows.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (k, v) in _map.Children)
        {
            string name = k is YamlScalarNode s ? s.Value ?? "" : Show(k);
            if (!_read.Contains(name))
            {
                var known = _read.Order(StringComparer.Ordinal);
                throw new ScenarioFileException($"{_file.Path}:{k.Start.Line}: {Field(name)}: unknown key (known here: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>Error for a value that parsed but is out of range; names file, line, field and value.</summary>
    public ScenarioFileException Invalid(string key, string rule)
    {
        var node = Get(key);
        int line = node is null ? Line : (int)node.Start.Line;
        return new ScenarioFileException($"{_file.Path}:{line}: {Field(key)} = {(node is null ? "(missing)" : Show(node))}: {rule}");
    }

    private double ParseDouble(string key, YamlNode node)
    {
        if (node is YamlScalarNode s && s.Value is { } text)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) return v;
        }
        throw Error(key, node, "expected a finite number");
    }

    private ScenarioFileException Missing(string key) =>
        new($"{_file.Path}:{Line}: {Field(key)}: required key is missing");

    private ScenarioFileException Error(string key, YamlNode node, string rule) =>
        new($"{_file.Path}:{node.Start.Line}: {Field(key)} = {Show(node)}: {rule}");

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null");

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode q => "[" + string.Join(", ", q.Children.Select(Show)) + "]",
        YamlMappingNode => "{...}",
        _ => node.ToString(),
    };
}
