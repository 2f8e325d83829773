using MlNetInverse.Workflows.Evaluation;


namespace MlNetInverse.Tests.Evaluation;

/// <summary>The --methods list: known names in report order, unknown names refused with the list of known ones.</summary>
public sealed class EvaluationMethodsTests
{
    [Fact]
    public void GivenMethodsInAnyOrderWithARepeat_WhenParsed_ThenTheyComeBackOnceInReportOrder()
    {
        var methods = EvaluationMethods.Parse("optimization, pca-mdn,proposed,pca-mdn");

        Assert.Equal(["proposed", "pca-mdn", "optimization"], methods);
    }

    [Fact]
    public void GivenThePaperRowAndTheControls_WhenParsed_ThenTheyComeAfterTheModelRowsAndBeforeThePapersBaselines()
    {
        var methods = EvaluationMethods.Parse("gan-mdn,vf-control+screen,proposed+rank,vf-control,paper,proposed");

        Assert.Equal(["paper", "proposed", "proposed+rank", "vf-control", "vf-control+screen", "gan-mdn"], methods);
    }

    [Fact]
    public void GivenNoList_WhenTheDefaultIsTaken_ThenAllNineMethodsRunInReportOrder()
    {
        Assert.Equal(["paper", "proposed", "proposed+rank", "vf-control", "vf-control+screen", "gan-mdn", "pca-mdn", "mdn-inverse", "optimization"],
            new MlNetInverse.Cli.Commands.EvaluateSettings().MethodList);
    }

    [Fact]
    public void GivenAnUnknownMethod_WhenParsed_ThenTheErrorNamesItAndTheKnownMethods()
    {
        var error = Assert.Throws<FormatException>(() => EvaluationMethods.Parse("proposed,vae-gan"));

        Assert.Equal("--methods: 'vae-gan' is not a method; known methods are paper, proposed, proposed+rank, code-prior, vf-control, vf-control+screen, gan-mdn, pca-mdn, mdn-inverse, optimization.", error.Message);
    }
}
