using AlexNet.Realtime.Inference.Contract;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// The contract's optional precision keys (precision, calibration_source, agreement): written and
/// read back, absent in models written before them (fp32), and damaged without refusing the
/// model, since they describe it and are not needed to run it.
/// </summary>
public sealed class PrecisionContractTests
{
    private static readonly PrecisionAgreement Measured = new(88, "88 of 361 frames held out from demo.mp4", 0.9886, 0.9773, 0.0123, 0.0456, "percentile 99.99", Forced: true);

    [Fact]
    public void ReducedModel_RoundTripsPrecisionSourceAndAgreement()
    {
        var written = DamagedContractTests.Valid() with { Precision = "int8", CalibrationSource = "273 frames of demo.mp4", Agreement = Measured };

        var read = ModelContract.FromMetadata(written.ToMetadata().ToDictionary(p => p.Key, p => p.Value));

        Assert.Equal("int8", read.Precision);
        Assert.Equal("273 frames of demo.mp4", read.CalibrationSource);
        Assert.Equal(Measured, read.Agreement);
    }

    [Fact]
    public void ModelWrittenBeforeThePrecisionKeys_ReadsAsFp32WithoutAgreement()
    {
        var metadata = DamagedContractTests.Valid().ToMetadata()
            .Where(p => p.Key is not (ModelContract.Keys.Precision or ModelContract.Keys.CalibrationSource or ModelContract.Keys.Agreement))
            .ToDictionary(p => p.Key, p => p.Value);

        var read = ModelContract.FromMetadata(metadata);

        Assert.Equal("fp32", read.Precision);
        Assert.Null(read.CalibrationSource);
        Assert.Null(read.Agreement);
    }

    [Fact]
    public void PrecisionThisBuildDoesNotKnow_ReadsAsUnknown()
    {
        var metadata = DamagedContractTests.Valid().ToMetadata().ToDictionary(p => p.Key, p => p.Value);
        metadata[ModelContract.Keys.Precision] = "int4";

        Assert.Equal("unknown", ModelContract.FromMetadata(metadata).Precision);
    }

    [Theory]
    [InlineData(ModelContract.Keys.Precision)]
    [InlineData(ModelContract.Keys.CalibrationSource)]
    [InlineData(ModelContract.Keys.Agreement)]
    public void DamagedPrecisionKey_IsReadWithoutRefusingTheModel(string key)
    {
        string[] damaged =
        [
            "", " ", "null", "{}", "[]", "{\"frames\":", "{\"frames\":-1,\"frameset\":\"x\"}", "{\"frames\":\"many\"}", "{\"top1\":NaN}",
            "\0", "\u202e", new string('9', 5000), "FP32", "int8 ",
        ];
        var valid = (DamagedContractTests.Valid() with { Precision = "int8", Agreement = Measured }).ToMetadata().ToDictionary(p => p.Key, p => p.Value);
        foreach (var value in damaged)
        {
            var metadata = new Dictionary<string, string>(valid) { [key] = value };

            var read = ModelContract.FromMetadata(metadata);

            Assert.Contains(read.Precision, ModelContract.KnownPrecisions.Append("unknown"));
            Assert.True(read.Agreement is null || (read.Agreement.Frames >= 0 && read.Agreement.Frameset is not null), $"{key} = '{value}'");
        }
    }
}
