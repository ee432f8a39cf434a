using Spectre.Console;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Progress for a call that takes more than a moment (a STIX import or export, a long listing): at
/// a terminal, once a second has passed without an answer, a spinner says what is going on until
/// it comes; piped or redirected, nothing but the answer.
/// </summary>
public static class Waiting
{
    /// <summary>How long a call runs before the spinner shows.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    public static async Task<T> ForAsync<T>(IAnsiConsole console, string what, Func<Task<T>> call)
    {
        var answer = call();
        if (!Pictures.For(console) || await Task.WhenAny(answer, Task.Delay(Patience)) == answer)
        {
            return await answer;
        }

        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(what) + " ...", _ => answer);
    }
}
