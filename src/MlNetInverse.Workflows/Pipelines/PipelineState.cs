using System.Text.Json;
using System.Text.Json.Nodes;
using MlNetInverse.Physics.Storage;

namespace MlNetInverse.Workflows.Pipelines;

/// <summary>
/// Which stages of a training run are finished, kept in <c>OUT/pipeline-state.json</c> (rewritten atomically after every
/// stage): per stage its fingerprint (settings and upstream), its wall time and the metrics it measured. A rerun
/// skips a stage whose fingerprint matches and whose artifacts still exist, so Ctrl-C or a crash loses at most the
/// running stage (and that stage's trainer resumes from its per-epoch checkpoint).
/// </summary>
internal sealed class PipelineState
{
    /// <summary>File name of the state inside the output folder.</summary>
    public const string FileName = "pipeline-state.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly string _path;
    private readonly JsonObject _stages;

    private PipelineState(string path, JsonObject stages)
    {
        _path = path;
        _stages = stages;
    }

    /// <summary>The state in <paramref name="folder"/>; empty when there is none (or it is unreadable: then every stage reruns).</summary>
    public static PipelineState Load(string folder)
    {
        string path = Path.Combine(folder, FileName);
        JsonObject stages = [];
        if (File.Exists(path))
        {
            try
            {
                stages = JsonNode.Parse(File.ReadAllText(path))?["stages"] as JsonObject ?? [];
            }
            catch (JsonException)
            {
                stages = [];
            }
        }
        return new PipelineState(path, (JsonObject)stages.DeepClone());
    }

    /// <summary>The metrics of <paramref name="stage"/> when it finished with <paramref name="fingerprint"/>, else null.</summary>
    public JsonObject? Finished(string stage, string fingerprint)
    {
        lock (_stages)
            return _stages[stage] is JsonObject entry && entry["fingerprint"]?.GetValue<string>() == fingerprint
                ? entry["metrics"] as JsonObject ?? []
                : null;
    }

    /// <summary>The metrics recorded for <paramref name="stage"/> (whatever its fingerprint), or null.</summary>
    public JsonObject? Metrics(string stage)
    {
        lock (_stages) return _stages[stage]?["metrics"] as JsonObject;
    }

    /// <summary>Seconds <paramref name="stage"/> took when it ran (0 when unknown).</summary>
    public double Seconds(string stage)
    {
        lock (_stages) return _stages[stage]?["seconds"]?.GetValue<double>() ?? 0;
    }

    /// <summary>Records <paramref name="stage"/> as finished and writes the file (two stages that train side by side may finish at once).</summary>
    public void Finish(string stage, string fingerprint, double seconds, JsonObject metrics)
    {
        lock (_stages)
        {
            _stages[stage] = new JsonObject { ["fingerprint"] = fingerprint, ["seconds"] = Math.Round(seconds, 1), ["metrics"] = metrics.DeepClone() };
            AtomicFile.WriteAllText(_path, new JsonObject { ["stages"] = _stages.DeepClone() }.ToJsonString(Indented));
        }
    }
}
