using System.Runtime.CompilerServices;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Every table, box and heading the console prints comes from here, and <see cref="Fit"/> decides
/// how a table is drawn when it is written (see <see cref="FittingConsole"/>): with borders on a
/// terminal, as wide as the terminal allows (dropping the columns a view marked optional, in its
/// order, rather than printing nothing); in plain columns when the output is piped (the console
/// then declares no Unicode: see <see cref="Terminal"/>).
/// </summary>
public static class Tables
{
    private static readonly ConditionalWeakTable<Table, string[]> OptionalColumns = [];

    /// <summary>A table in a frame: what a list command answers.</summary>
    public static Table Create() => new Table().Border(TableBorder.Rounded);

    /// <summary>A lighter table, for a part of a larger view (tasks, timeline, recipients...).</summary>
    public static Table Compact() => new Table().Border(TableBorder.Simple);

    /// <summary>A table without borders or headers: names and values.</summary>
    public static Table Facts() => new Table().Border(TableBorder.None).HideHeaders();

    /// <summary>
    /// Marks the columns of <paramref name="table"/> (by header) that a narrow terminal may leave
    /// out, the first given first, so that the rest still fits.
    /// </summary>
    public static Table Optional(this Table table, params string[] dropFirst)
    {
        OptionalColumns.AddOrUpdate(table, dropFirst);
        return table;
    }

    /// <summary>A heading: a rule with a title on a terminal, the title alone when piped.</summary>
    public static IRenderable Heading(string titleMarkup) =>
        new PlainOrFancy(new Rule(titleMarkup).LeftJustified(), new Markup(titleMarkup + "\n"));

    /// <summary>
    /// <paramref name="content"/> in a box titled <paramref name="header"/> on a terminal; when piped,
    /// the title on a line of its own and the content under it.
    /// </summary>
    public static IRenderable Box(IRenderable content, string header) =>
        new PlainOrFancy(new Panel(content).Header(header).Border(BoxBorder.Rounded), new Rows(new Markup(Markup.Escape(header) + "\n"), content));

    /// <summary>
    /// <paramref name="renderable"/> as it is written on <paramref name="console"/>: a table as
    /// <see cref="Fit"/> lays it out; where the console draws no boxes (piped), a rule as its title
    /// alone (not a line as wide as the layout) and a panel in a plain ASCII frame. Whatever a view
    /// writes, piped output stays plain.
    /// </summary>
    public static IRenderable ForConsole(IRenderable renderable, IAnsiConsole console)
    {
        if (renderable is Table table)
        {
            return Fit(table, console);
        }

        if (console.Profile.Capabilities.Unicode)
        {
            return renderable;
        }

        switch (renderable)
        {
            case Rule rule:
                return new Markup((rule.Title ?? "") + "\n");
            case Panel panel:
                panel.Border = BoxBorder.Ascii;
                return panel;
            default:
                return renderable;
        }
    }

    /// <summary>
    /// <paramref name="table"/> as it is written on <paramref name="console"/>: plain columns (no
    /// border lines, no box drawing) where the console draws no boxes; else, when even its narrowest
    /// layout is wider than the console, without its optional columns until it fits.
    /// </summary>
    public static Table Fit(Table table, IAnsiConsole console)
    {
        var options = RenderOptions.Create(console);
        if (!options.Unicode)
        {
            return Copy(table, TableBorder.None, new HashSet<int>());
        }

        if (!OptionalColumns.TryGetValue(table, out var optional))
        {
            return table;
        }

        var width = console.Profile.Width;
        var dropped = new HashSet<int>();
        var fitted = table;
        foreach (var name in optional)
        {
            if (((IRenderable)fitted).Measure(options, width).Min <= width)
            {
                break;
            }

            var index = IndexOf(table, name, options);
            if (index >= 0 && dropped.Add(index))
            {
                fitted = Copy(table, table.Border, dropped);
            }
        }

        return fitted;
    }

    private static int IndexOf(Table table, string header, RenderOptions options)
    {
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var text = string.Concat(table.Columns[i].Header.Render(options, int.MaxValue).Select(segment => segment.Text)).Trim();
            if (text.Equals(header, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static Table Copy(Table table, TableBorder border, IReadOnlySet<int> without)
    {
        var copy = new Table { Border = border, ShowHeaders = table.ShowHeaders, Expand = table.Expand };
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (!without.Contains(i))
            {
                var column = table.Columns[i];
                copy.AddColumn(new TableColumn(column.Header) { Alignment = column.Alignment, NoWrap = column.NoWrap, Width = column.Width, Padding = column.Padding });
            }
        }

        foreach (var row in table.Rows)
        {
            copy.AddRow(row.Where((_, i) => !without.Contains(i)).ToArray());
        }

        return copy;
    }
}
