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
        const string message = "model.onnx: no such file (ü, 日本)";
        Assert.Same(message, ErrorText.OneLine(message));
    }
}
