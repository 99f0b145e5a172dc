using AlexNet.Realtime.App.Evaluation;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Graph;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary>The counting and mapping parts of <c>eval</c>, each on a hand-made case with a known answer.</summary>
public sealed class EvaluationUnitTests
{
    [Theory]
    // Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (the score interval without continuity correction).
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    [InlineData(29, 29, 0.8830, 1.0)]
    public void Wilson_PublishedExamples_MatchToFourPlaces(int successes, int trials, double low, double high)
    {
        var interval = WilsonInterval.Of(successes, trials);
        Assert.Equal(low, Math.Round(interval.Low, 4));
        Assert.Equal(high, Math.Round(interval.High, 4));
    }

    [Fact]
    public void Wilson_NoTrials_IsNaNAndImpossibleCountsThrow()
    {
        Assert.True(double.IsNaN(WilsonInterval.Of(0, 0).Low));
        Assert.True(double.IsNaN(new Proportion(0, 0).Rate));
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(3, 2));
    }

    [Fact]
    public void ImageNetIds_ThousandSortedDistinct_InTorchvisionsClassOrder()
    {
        var ids = ImageNetIds.All;
        Assert.Equal(1000, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(ImageNetIds.LooksLikeOne(id), id));

        // Spot checks against torchvision's names in its index order.
        var names = Labels.ImageNet;
        Assert.Equal("tench", names[ImageNetIds.IndexOf("n01440764")]);
        Assert.Equal("tabby", names[ImageNetIds.IndexOf("n02123045")]);
        Assert.Equal("space shuttle", names[ImageNetIds.IndexOf("n04266014")]);
        Assert.Equal("espresso", names[ImageNetIds.IndexOf("n07920052")]);
        Assert.Equal("toilet tissue", names[ImageNetIds.IndexOf("n15075141")]);
        Assert.Equal(-1, ImageNetIds.IndexOf("n00000001"));
    }

    [Theory]
    [InlineData("n02123045", 281)]
    [InlineData("tabby", 281)]
    [InlineData("TABBY", 281)]
    [InlineData("281", 281)]
    [InlineData("great_white_shark", 2)]
    [InlineData(" space shuttle ", 812)]
    [InlineData("crane", 517)]
    [InlineData("n01751748", 65)] // ILSVRC2012_val_00000001: LOC_val_solution.csv's id and val.txt's index name one class
    [InlineData("65", 65)]
    [InlineData("crane bird", 134)]
    public void ClassMap_ImageNetModel_NameIdAndIndexMap(string label, int expected)
    {
        var map = new ClassMap(Labels.ImageNet, Labels.ImageNet);
        Assert.True(map.ImageNetOrder);
        Assert.Equal(new ClassMap.Mapped(expected, null), map.Map(label));
    }

    [Theory]
    [InlineData("n00000001", "no ImageNet-1k WordNet id")]
    [InlineData("1000", "past the model's last class, 999")]
    [InlineData("tabby cats", "no class of the model")]
    [InlineData("", "an empty label")]
    public void ClassMap_LabelsOfNoOneClass_SayWhy(string label, string why)
    {
        var mapped = new ClassMap(Labels.ImageNet, Labels.ImageNet).Map(label);
        Assert.Equal(-1, mapped.Index);
        Assert.Contains(why, mapped.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassMap_NameOfTwoClasses_AsksForTheIndex()
    {
        var mapped = new ClassMap(["cat", "dog", "Cat"], Labels.ImageNet).Map("CAT");
        Assert.Equal(-1, mapped.Index);
        Assert.Equal("'CAT' names 2 classes (0, 2); give its index", mapped.Problem);
    }

    [Fact]
    public void ClassMap_ModelOfSomeImageNetClasses_IdMapsByTheClassName()
    {
        string[] labels = ["goldfish", "tabby", "other"];
        var map = new ClassMap(labels, Labels.ImageNet);
        Assert.False(map.ImageNetOrder);
        Assert.Equal(1, map.Map("n02123045").Index);
        Assert.Equal(0, map.Map("n01443537").Index);
        Assert.Contains("'tench', which is not one of the model's 3 classes", map.Map("n01440764").Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AccuracyTally_HandMadeAnswers_CountsTopOneTopKPerClassAndConfusions()
    {
        var tally = new AccuracyTally(classes: 4, k: 2);
        tally.Add(0, [0, 1]);  // right
        tally.Add(0, [1, 0]);  // top-2 only
        tally.Add(1, [2, 3]);  // wrong
        tally.Add(1, [2, 1]);  // top-2 only
        tally.Add(3, [3, 2]);  // right

        Assert.Equal(new Proportion(2, 5), tally.Top1);
        Assert.Equal(new Proportion(4, 5), tally.TopK);
        Assert.Equal(new Proportion(1, 2), tally.Top1Of(0));
        Assert.Equal(new Proportion(2, 2), tally.TopKOf(0));
        Assert.Equal(new Proportion(0, 2), tally.Top1Of(1));
        Assert.Equal(new Proportion(1, 2), tally.TopKOf(1));
        Assert.Equal(0, tally.ImagesOf(2));
        Assert.Equal([new ConfusedPair(1, 2, 2), new ConfusedPair(0, 1, 1)], tally.Confusions.Top(10));
    }

    [Fact]
    public void Agreement_ThreeModels_EachPairCountedOnTheSameImages()
    {
        var agreement = new AgreementTally(3);
        agreement.Add(0, [0, 0, 1]);
        agreement.Add(1, [1, 2, 2]);
        agreement.Add(2, [0, 0, 0]);
        agreement.Add(3, [3, 3, 3]);

        var pairs = agreement.Pairs();
        Assert.Equal(3, pairs.Count);
        Assert.Equal(new Agreement(0, 1, new Proportion(3, 4), BothRight: 2, OnlyARight: 1, OnlyBRight: 0, BothWrong: 1), pairs[0]);
        Assert.Equal(new Agreement(0, 2, new Proportion(2, 4), BothRight: 1, OnlyARight: 2, OnlyBRight: 0, BothWrong: 1), pairs[1]);
        Assert.Equal(new Agreement(1, 2, new Proportion(3, 4), BothRight: 1, OnlyARight: 1, OnlyBRight: 0, BothWrong: 2), pairs[2]);
    }

    [Fact]
    public void ListDataset_ImageNetSolutionCsv_FirstIdOfTheBoxesAndJpegUnderImages()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("val"));
        File.WriteAllBytes(dir.File("val/ILSVRC2012_val_00000001.JPEG"), [1]);
        File.WriteAllText(dir.File("LOC_val_solution.csv"),
            "ImageId,PredictionString\nILSVRC2012_val_00000001,n01751748 21 117 474 357 n01751748 1 2 3 4 \nILSVRC2012_val_00000002,n09193705 0 0 10 10\n");

        var entries = new ListDataset(dir.File("LOC_val_solution.csv"), dir.File("val")).Entries().ToList();

        Assert.Equal(2, new ListDataset(dir.File("LOC_val_solution.csv"), dir.File("val")).Count(CancellationToken.None));
        Assert.Equal(new DatasetEntry(dir.File("val/ILSVRC2012_val_00000001.JPEG"), "n01751748", "ILSVRC2012_val_00000001"), entries[0]);

        // Not there: named as the file ImageNet's would be, for the error to say what was looked for.
        Assert.Equal(dir.File("val/ILSVRC2012_val_00000002.JPEG"), entries[1].Path);
        Assert.Equal("n09193705", entries[1].Label);
    }

    [Fact]
    public void ListDataset_ValTxtTsvAndQuotedCsv_PathsAndLabelsRead()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("val.txt"), "ILSVRC2012_val_00000001.JPEG 65\n\n# a comment\nsub dir/with space.png 970\n");
        File.WriteAllText(dir.File("set.tsv"), "a.png\ttabby cat\n/abs/b.png\tn02123045\n");
        File.WriteAllText(dir.File("set.csv"), "file,label\n\"x,y.png\",\"tabby\"\nno-label-here.png\n");

        var val = new ListDataset(dir.File("val.txt"), null).Entries().ToList();
        Assert.Equal([(dir.File("ILSVRC2012_val_00000001.JPEG"), "65"), (dir.File("sub dir/with space.png"), "970")], val.Select(e => (e.Path, e.Label)));

        var tsv = new ListDataset(dir.File("set.tsv"), "/images").Entries().ToList();
        Assert.Equal([("/images/a.png", "tabby cat"), ("/abs/b.png", "n02123045")], tsv.Select(e => (e.Path, e.Label)));

        var csv = new ListDataset(dir.File("set.csv"), null).Entries().ToList();
        Assert.Equal(2, csv.Count);
        Assert.Equal((dir.File("x,y.png"), "tabby", (string?)null), (csv[0].Path, csv[0].Label, csv[0].Problem));
        Assert.Equal("line 3", csv[1].Name);
        Assert.Contains("no label", csv[1].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderDataset_ClassFoldersNestedImages_HiddenFoldersAndOtherFilesLeftOut()
    {
        using var dir = new TempDirectory();
        foreach (var file in new[] { "tabby/a.png", "tabby/deeper/b.JPG", "281/c.jpeg", ".cache/d.png", "tabby/notes.txt", "loose.png" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dir.File(file))!);
            File.WriteAllBytes(dir.File(file), [1]);
        }

        var dataset = new FolderDataset(dir.Path);

        Assert.Equal(["281", "tabby"], dataset.ClassFolders);
        Assert.Equal(1, dataset.ImagesOutsideClasses);
        Assert.Equal(3, dataset.Count(CancellationToken.None));
        Assert.Equal([("281", "281/c.jpeg"), ("tabby", "tabby/a.png"), ("tabby", "tabby/deeper/b.JPG")], dataset.Entries().Select(e => (e.Label, e.Name)).Order());
    }
}
