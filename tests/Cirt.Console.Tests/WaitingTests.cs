using Cirt.Console.Infrastructure;

namespace Cirt.Console.Tests;

/// <summary>Progress for a slow call: a spinner at a terminal once a second has passed, nothing when piped.</summary>
public sealed class WaitingTests
{
    [Fact]
    public async Task AtATerminalASlowCallShowsWhatIsGoingOnUntilItsAnswerComes()
    {
        var screen = new CapturedConsole(terminal: true);

        // The call answers only once the spinner has shown.
        var answer = await Waiting.ForAsync(screen.Console, "Importing bundle.json", async () =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!screen.Text.Contains("Importing bundle.json ...", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "no spinner within 30 s");
                await Task.Delay(50);
            }

            return 42;
        });

        Assert.Equal(42, answer);
    }

    [Fact]
    public async Task PipedOrQuickThereIsNothingButTheAnswer()
    {
        var piped = new CapturedConsole(terminal: false);
        var terminal = new CapturedConsole(terminal: true);

        Assert.Equal(1, await Waiting.ForAsync(piped.Console, "Exporting", async () => { await Task.Delay(Waiting.Patience * 2); return 1; }));
        Assert.Equal(2, await Waiting.ForAsync(terminal.Console, "Exporting", () => Task.FromResult(2)));

        Assert.Equal("", piped.Text);
        Assert.Equal("", terminal.Text);
    }
}
