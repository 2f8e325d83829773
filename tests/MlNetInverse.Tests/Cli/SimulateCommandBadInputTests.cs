using MlNetInverse.Physics.Microstructures;

namespace MlNetInverse.Tests.Cli;

/// <summary>Every bad input of <c>simulate</c>: exit 1, one stderr line naming the problem, nothing on stdout, no file written.</summary>
public sealed class SimulateCommandBadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public SimulateCommandBadInputTests()
    {
        _folder.Write("ok.txt", PatternMaps.Random(seed: 7).ToText());
        _folder.Write("small.txt", PatternMaps.Random(seed: 7, size: 32).ToText());
        var lines = PatternMaps.Random(seed: 7).ToText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _folder.Write("63-lines.txt", string.Join('\n', lines.Take(63)) + "\n");
        _folder.Write("long-line.txt", string.Join('\n', lines.Select((l, i) => i == 5 ? l + "0" : l)) + "\n");
        _folder.Write("bad-char.txt", string.Join('\n', lines.Select((l, i) => i == 9 ? l[..20] + "2" + l[21..] : l)) + "\n");
        _folder.Write("spaces.txt", string.Join('\n', lines.Select((l, i) => i == 0 ? l[..10] + " " + l[11..] : l)) + "\n");
        PatternMaps.WritePng(_folder.File("small.png"), PatternMaps.Random(seed: 7, size: 32));
        PatternMaps.WritePng(_folder.File("wide.png"), 64, 32, (_, _) => 255);
        _folder.Write("not-really.png", "this is text, not an image");
        _folder.Write("pattern.bmp", "BM");
        _folder.Write("truncated.json", "{\"period_nm\": 35");
        _folder.Write("typo.json", """
            {"period_nm": 350, "materials": {"air": {"eps": "1"}, "si": {"eps": "12+0.5i"}, "glass": {"eps": "2.25"}},
             "superstrate": "air", "patterned_layer": {"material_a": "si", "material_b": "air", "thickness_nm": 100},
             "substrate": "glass", "wavelengths_nm": [500], "harmonix": 121}
            """);
    }

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> Cases => new()
    {
        { "", "--pattern FILE is required" },
        { "--pattern missing.txt", "missing.txt' does not exist" },
        { "--pattern small.txt", "has 32 lines; expected 64" },
        { "--pattern 63-lines.txt", "has 63 lines; expected 64" },
        { "--pattern long-line.txt", "line 6 has 65 characters" },
        { "--pattern bad-char.txt", "line 10, column 21 is '2'" },
        { "--pattern spaces.txt", "line 1, column 11 is ' '" },
        { "--pattern small.png", "is 32x32 pixels; expected 64x64" },
        { "--pattern wide.png", "is 64x32 pixels" },
        { "--pattern not-really.png", "not-really.png' is not a readable PNG" },
        { "--pattern pattern.bmp", "must be a .txt 0/1 map or a .png image" },
        { "--pattern", "--pattern needs a value" },
        { "--pattern ok.txt --period-nm abc", "--period-nm: 'abc' is not a number" },
        { "--pattern ok.txt --period-nm NaN", "--period-nm must be a positive finite number; got NaN" },
        { "--pattern ok.txt --period-nm 0", "--period-nm must be a positive finite number; got 0" },
        { "--pattern ok.txt --period-nm -350", "--period-nm must be a positive finite number; got -350" },
        { "--pattern ok.txt --period-nm Infinity", "--period-nm must be a positive finite number" },
        { "--pattern ok.txt --thickness-nm -5", "--thickness-nm must be a finite number >= 0; got -5" },
        { "--pattern ok.txt --thickness-nm NaN", "--thickness-nm must be a finite number >= 0; got NaN" },
        { "--pattern ok.txt --thickness-nm 1e", "--thickness-nm: '1e' is not a number" },
        { "--pattern ok.txt --harmonics 100", "--harmonics: Harmonics must be (2M+1)^2" },
        { "--pattern ok.txt --harmonics 0", "--harmonics: Harmonics must be (2M+1)^2" },
        { "--pattern ok.txt --harmonics 16", "got 16" },
        { "--pattern ok.txt --harmonics 12.5", "--harmonics: '12.5' is not a whole number" },
        { "--pattern ok.txt --factorization fourier", "--factorization: factorization 'fourier' is unknown; use laurent or li" },
        { "--pattern ok.txt --eps-a 12+x", "--eps-a: '12+x' is not a complex number" },
        { "--pattern ok.txt --eps-b NaN", "--eps-b: 'NaN' is not a complex number" },
        { "--pattern ok.txt --eps-substrate glass", "--eps-substrate: 'glass' is not a complex number" },
        { "--pattern ok.txt --eps-superstrate 1+1i", "superstrate 'eps-superstrate=1+1i' must be a lossless dielectric" },
        { "--pattern ok.txt --wavelengths-nm 400,abc", "--wavelengths-nm: 'abc' is not a positive number of nm" },
        { "--pattern ok.txt --wavelengths-nm 400,-5", "--wavelengths-nm: '-5' is not a positive number of nm" },
        { "--pattern ok.txt --wavelengths-nm NaN", "--wavelengths-nm: 'NaN' is not a positive number of nm" },
        { "--pattern ok.txt --wavelengths-nm 400,,500", "--wavelengths-nm: '' is not a positive number of nm" },
        { "--pattern ok.txt --stack missing.json", "missing.json' does not exist" },
        { "--pattern ok.txt --stack truncated.json", "truncated.json': invalid stack JSON" },
        { "--pattern ok.txt --stack typo.json", "harmonix" },
        { "--pattern ok.txt --stack", "--stack needs a value" },
        { "--pattern ok.txt --threads -1", "--threads must be 0 (one per core) or at least 1; got -1" },
        { "--pattern ok.txt --colour red", "Unknown option 'colour'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GivenBadInput_WhenSimulating_ThenExitCodeIsOneWithOneStderrLineNamingTheProblemAndNothingElse(string commandLine, string expected)
    {
        var before = _folder.Snapshot();
        var run = CliRun.Of(Args(commandLine));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.Equal("", run.Stdout);
        Assert.Equal(before, _folder.Snapshot());
    }

    [Fact]
    public void GivenBadInputAndVerbose_WhenSimulating_ThenTheFullExceptionFollowsTheErrorLine()
    {
        var run = CliRun.Of(Args("--pattern small.txt --verbose"));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: ", run.StderrLines[0]);
        Assert.Contains("FormatException", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    // File names in the cases become paths in the temp folder; the current directory stays untouched (tests run in parallel).
    private string[] Args(string commandLine) => new[] { "simulate" }
        .Concat(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => new[] { ".txt", ".png", ".bmp", ".json" }.Any(a.EndsWith) ? _folder.File(a) : a))
        .ToArray();
}
