using Xunit;

namespace AlexNet.Realtime.Inference.Tests;

public sealed class ErrorTextTests
{
    [Fact]
    public void ControlCharacters_AreEscapedIntoOneVisibleLine()
    {
        Assert.Equal(
            "tv.pth: tensor a\\nb\\x1b[31m\\t\\r\\x7f is not a tensor",
            ErrorText.OneLine("tv.pth: tensor a\nb\x1b[31m\t\r\x7f is not a tensor"));
    }

    [Fact]
    public void PlainMessage_IsKeptAsItIs()
    {
        // With the joiners that Persian words (U+200C) and emoji sequences (U+200D) are written with.
        const string message = "model.onnx: no such file (ü, 日本, 😀, a\u00a0b, می\u200cخواهم, 👩\u200d💻)";
        Assert.Same(message, ErrorText.OneLine(message));
    }

    [Theory]
    [InlineData("cat\u202egnp.png", "cat\\u202egnp.png")] // right-to-left override (Trojan Source)
    [InlineData("a\u2066b\u2069c", "a\\u2066b\\u2069c")] // bidi isolate and its end
    [InlineData("a\u200bb\ufeffc", "a\\u200bb\\ufeffc")] // zero-width space, byte-order mark
    [InlineData("line\u2028sep\u2029para", "line\\u2028sep\\u2029para")] // line and paragraph separators
    [InlineData("tag\U000E0041x", "tag\\U000e0041x")] // a tag character (outside the BMP, Cf)
    [InlineData("soft\u00adhyphen", "soft\\xadhyphen")]
    [InlineData("\u009b31m", "\\x9b31m")]
    public void FormatAndSeparatorCharacters_AreEscaped(string message, string shown)
    {
        Assert.Equal(shown, ErrorText.OneLine(message));
    }

    [Fact]
    public void UnpairedSurrogate_IsEscapedAndThePairAroundItKept()
    {
        Assert.Equal("a\\ud800b😀", ErrorText.OneLine("a\ud800b😀"));
    }
}
