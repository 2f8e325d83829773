// MlNetInverse build script. Run with: dotnet tool restore && dotnet cake [--target=Test] [--configuration=Release]
// Targets: Restore, Build, Test (default), Pack (the NuGet packages and the mlnet-inverse tool into --packages),
//          Tool (installs mlnet-inverse from --packages into --tool-path and runs the main job with it), Data (regenerate the shipped dataset from a pipeline JSON),
//          Train (the main job: train everything from a training pipeline JSON into --out),
//          Evaluate (the paper's Table I judged by RCWA for --out/model.zip into --out/evaluation).

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var dataPipeline = Argument("data-pipeline", "pipelines/dataset-default.json");
var trainPipeline = Argument("pipeline", "pipelines/quick.json");
var trainOut = Argument("out", "artifacts");
var evaluationSamples = Argument("samples", 30);
var evaluationSeed = Argument("evaluation-seed", 7L);

var packages = Argument("packages", "artifacts/packages");
var toolPath = Argument("tool-path", "artifacts/tool");

const string Solution = "MlNetInverse.sln";
const string CliProject = "src/MlNetInverse.Cli/MlNetInverse.Cli.csproj";

// Runs the mlnet-inverse CLI through `dotnet run`, so the build-time fixes (libtorch loader, tcmalloc re-exec) apply.
void RunCli(string arguments)
{
    DotNetRun(CliProject, new ProcessArgumentBuilder().Append(arguments), new DotNetRunSettings
    {
        Configuration = configuration,
        NoBuild = true,
    });
}

Task("Restore")
    .Does(() => DotNetRestore(Solution));

Task("Build")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(Solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Test")
    .IsDependentOn("Build")
    .Does(() => DotNetTest(Solution, new DotNetTestSettings { Configuration = configuration, NoBuild = true }));

Task("Data")
    .Description("Regenerates the dataset described by --data-pipeline (default: the shipped one).")
    .IsDependentOn("Build")
    .Does(() =>
    {
        RunCli($"data generate --pipeline {dataPipeline}");
        RunCli("data describe data/microstructures.parquet --histogram data/absorption-histogram.png");
    });

Task("Train")
    .Description("Trains surrogate, VQ-VAE, latents and MDN from --pipeline (default pipelines/quick.json) into --out (default artifacts): model.zip, latents.parquet, grids, metrics.json. A rerun resumes.")
    .IsDependentOn("Build")
    .Does(() => RunCli($"train --pipeline \"{trainPipeline}\" --out \"{trainOut}\""));

Task("Evaluate")
    .Description("Evaluates --out/model.zip (the Train target's model; default artifacts/model.zip) at 0.55..0.75 with --samples designs (default 30) per target: the paper row, the zip as shipped, the learning-free controls and the four baselines, every design judged by RCWA: --out/evaluation/report.md, report.json, PNGs; baselines cached in --out/evaluation/baselines. A rerun reuses finished cells.")
    .IsDependentOn("Build")
    .Does(() => RunCli($"evaluate --model \"{trainOut}/model.zip\" --targets 0.55,0.60,0.65,0.70,0.75 --samples {evaluationSamples} --seed {evaluationSeed} --out \"{trainOut}/evaluation\""));

Task("Pack")
    .Description("Packs MlNetInverse (metapackage), its layer packages and the mlnet-inverse .NET tool into --packages (default artifacts/packages).")
    .IsDependentOn("Build")
    .Does(() => DotNetPack(Solution, new DotNetPackSettings { Configuration = configuration, NoBuild = true, OutputDirectory = packages }));

// How a build script uses the released tool rather than this checkout: install it from a feed (here the folder that
// Pack fills; on a build server, your feed) into a tool path and run it like any executable.
Task("Tool")
    .Description("Installs mlnet-inverse from --packages into --tool-path (default artifacts/tool) and runs the main job with it into --out.")
    .IsDependentOn("Pack")
    .Does(() =>
    {
        var version = XmlPeek("src/Directory.Build.props", "/Project/PropertyGroup/VersionPrefix");
        if (DirectoryExists(toolPath)) DeleteDirectory(toolPath, new DeleteDirectorySettings { Recursive = true });
        DotNetTool($"tool install mlnet-inverse --version {version} --add-source \"{MakeAbsolute(Directory(packages))}\" --tool-path \"{toolPath}\"");
        var tool = MakeAbsolute(File($"{toolPath}/mlnet-inverse"));
        if (StartProcess(tool, new ProcessSettings { Arguments = "info" }) != 0) throw new Exception("mlnet-inverse info failed");
        if (StartProcess(tool, new ProcessSettings { Arguments = $"train --pipeline \"{trainPipeline}\" --out \"{trainOut}\"" }) != 0)
            throw new Exception("mlnet-inverse train failed");
    });

RunTarget(target);
