using AlexNet.Realtime.Inference.Contract;
using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

/// <summary>
/// Every contract key given each of a set of damaged values, one at a time: the contract is read
/// with its promises kept (labels named, top-K within the classes), or refused with a
/// <see cref="ModelContractException"/>; never another exception.
/// </summary>
public sealed class DamagedContractTests
{
    private static readonly string[] DamagedValues =
    [
        "", " ", "-1", "0", "1", "2147483648", "99999999999999999999", "1e40", "NaN", "-0", "null", "true",
        "[]", "[null]", "{}", "[\"a\"", "\"a\"", "frames ", "FRAMES", "a,b,c", ",,", "1,2", "1,2,3,4", "0.5,NaN,1",
        "\0", "\u202e", new string('9', 5000),
        "[null,\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]",
        "[0,1,2,3,4,5,6,7,8,9]",
    ];

    public static TheoryData<string> Keys() => [.. ModelContract.Keys.Required, ModelContract.Keys.Version];

    [Theory]
    [MemberData(nameof(Keys))]
    public void DamagedValue_IsReadWithItsPromisesOrRefused(string key)
    {
        var valid = Valid().ToMetadata().ToDictionary(p => p.Key, p => p.Value);
        foreach (var value in DamagedValues)
        {
            var metadata = new Dictionary<string, string>(valid) { [key] = value };
            ModelContract contract;
            try
            {
                contract = ModelContract.FromMetadata(metadata);
            }
            catch (ModelContractException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{key} = '{value}': {e.GetType().Name}: {e.Message}");
                throw;
            }

            Assert.All(contract.Labels, label => Assert.NotNull(label));
            Assert.InRange(contract.TopK, 1, contract.NumClasses);
            Assert.True(contract.CropSize >= 1, $"{key} = '{value}': crop size {contract.CropSize}");
            Assert.Equal(3, contract.Mean.Count);
            Assert.Equal(3, contract.Std.Count);
        }
    }

    /// <summary>A contract every field of which is valid: the tests change one at a time.</summary>
    internal static ModelContract Valid() => new()
    {
        Labels = [.. Enumerable.Range(0, 10).Select(i => $"class_{i}")],
        Architecture = "torchvision",
        CropSize = 224,
        ResizeShorter = 256,
        ResizePolicy = ModelContract.ResizePolicyText(pilExact: false),
        Mean = ModelContract.ImageNetMean,
        Std = ModelContract.ImageNetStd,
        InputLayout = InputLayout.Frames,
        TopK = 5,
        SourceFile = "tv_mini.pth",
        SourceSha256 = new string('0', 64),
        ConverterVersion = "test",
        Weights = WeightsKind.Pretrained,
    };
}
