using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// A table border drawn as <paramref name="fancy"/> on a terminal, and as no border at all (plain
/// columns) where the console draws no boxes: Spectre falls back to a border's safe border there.
/// </summary>
public sealed class PlainWhenPipedBorder(TableBorder fancy) : TableBorder
{
    public override TableBorder? SafeBorder => None;

    public override bool Visible => fancy.Visible;

    public override bool SupportsRowSeparator => fancy.SupportsRowSeparator;

    public override string GetPart(TableBorderPart part) => fancy.GetPart(part);
}
