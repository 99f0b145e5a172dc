using System.CommandLine;
using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.Inference.Engine;
using Xunit;

namespace AlexNet.Realtime.App.Tests;

/// <summary><c>--spin off|run|on</c>: what each spelling asks for, and each mode's default.</summary>
public sealed class SpinOptionTests
{
    [Theory]
    [InlineData(ThreadSpinning.WithinRun, new string[0], ThreadSpinning.WithinRun)]
    [InlineData(ThreadSpinning.Off, new string[0], ThreadSpinning.Off)]
    [InlineData(ThreadSpinning.Off, new[] { "--spin" }, ThreadSpinning.Always)]
    [InlineData(ThreadSpinning.WithinRun, new[] { "--spin", "off" }, ThreadSpinning.Off)]
    [InlineData(ThreadSpinning.Off, new[] { "--spin", "run" }, ThreadSpinning.WithinRun)]
    [InlineData(ThreadSpinning.Off, new[] { "--spin", "on" }, ThreadSpinning.Always)]
    public void Spelling_GivesItsSpinning(ThreadSpinning modeDefault, string[] args, ThreadSpinning expected)
    {
        var binder = new EngineOptionsBinder(modeDefault);
        var command = new RootCommand();
        binder.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(expected, binder.SpinningOf(parse));
        Assert.Equal(expected, binder.Bind(parse).Spinning);
    }

    [Fact]
    public void UnknownSpelling_IsAParseError()
    {
        var binder = new EngineOptionsBinder();
        var command = new RootCommand();
        binder.AddTo(command);
        var error = Assert.Single(command.Parse(["--spin", "sometimes"]).Errors);
        Assert.Contains("sometimes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LiveProfileAndClassifySpinWithinARun_LabelDoesNot()
    {
        Assert.Equal(ThreadSpinning.WithinRun, DefaultOf(LiveCommand.Create()));
        Assert.Equal(ThreadSpinning.WithinRun, DefaultOf(ProfileCommand.Create()));
        Assert.Equal(ThreadSpinning.WithinRun, DefaultOf(ClassifyCommand.Create()));
        Assert.Equal(ThreadSpinning.Off, DefaultOf(LabelCommand.Create()));

        static ThreadSpinning DefaultOf(Command command)
        {
            var spin = command.Options.Single(o => o.Name == "--spin");
            return spin.Description!.EndsWith("Default here: run.", StringComparison.Ordinal) ? ThreadSpinning.WithinRun
                : spin.Description.EndsWith("Default here: off.", StringComparison.Ordinal) ? ThreadSpinning.Off
                : throw new InvalidOperationException(spin.Description);
        }
    }
}
