using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Every table, box and heading the console prints comes from here, so that one place decides how
/// they look: drawn with borders on a terminal, plain columns and plain headings when the output is
/// piped (the console then declares no Unicode: see <see cref="Terminal"/>).
/// </summary>
public static class Tables
{
    private static readonly TableBorder Framed = new PlainWhenPipedBorder(TableBorder.Rounded);
    private static readonly TableBorder Light = new PlainWhenPipedBorder(TableBorder.Simple);
    private static readonly TableBorder Bare = new PlainWhenPipedBorder(TableBorder.None);

    /// <summary>A table in a frame: what a list command answers.</summary>
    public static Table Create() => new Table().Border(Framed);

    /// <summary>A lighter table, for a part of a larger view (tasks, timeline, recipients...).</summary>
    public static Table Compact() => new Table().Border(Light);

    /// <summary>A table without borders or headers: names and values.</summary>
    public static Table Facts() => new Table().Border(Bare).HideHeaders();

    /// <summary>A heading: a rule with a title on a terminal, the title alone when piped.</summary>
    public static IRenderable Heading(string titleMarkup) =>
        new PlainOrFancy(new Rule(titleMarkup).LeftJustified(), new Markup(titleMarkup + "\n"));

    /// <summary>
    /// <paramref name="content"/> in a box titled <paramref name="header"/> on a terminal; when piped,
    /// the title on a line of its own and the content under it.
    /// </summary>
    public static IRenderable Box(IRenderable content, string header) =>
        new PlainOrFancy(new Panel(content).Header(header).Border(BoxBorder.Rounded), new Rows(new Markup(Markup.Escape(header) + "\n"), content));
}
