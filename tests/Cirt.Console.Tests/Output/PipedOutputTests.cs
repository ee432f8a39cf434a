using Cirt.Console.Infrastructure;
using Spectre.Console;

namespace Cirt.Console.Tests.Output;

/// <summary>
/// Whatever a view writes (Spectre's own tables, rules and panels included, not only those from
/// Tables), piped output stays plain: no box drawing, no line as wide as the layout, no padding.
/// </summary>
public sealed class PipedOutputTests
{
    [Fact]
    public void RulesPanelsAndTablesPrintPlainlyWhenPiped()
    {
        using var output = new StringWriter();
        var console = Terminal.Piped(output);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Code").AddColumn("Name");
        table.AddRow("ENERGY", "Energy");
        table.AddRow("DRINKING_WATER", "Drinking water");

        console.Write(new Rule("Overdue deadlines"));
        console.Write(new Panel(new Text("ENERGY is at alert level 3")).Header("Sector").Border(BoxBorder.Rounded));
        console.Write(table);
        var lines = output.ToString().Split('\n');

        Assert.Equal("Overdue deadlines", lines[0]);
        Assert.Contains("| ENERGY is at alert level 3 |", lines);
        Assert.Contains("Code           Name", lines);
        Assert.Contains("ENERGY         Energy", lines);
        Assert.Contains("DRINKING_WATER Drinking water", lines);
        Assert.All(lines, line => Assert.True(line.Length <= 30 && line == line.TrimEnd(), $"'{line}'"));
        Assert.DoesNotMatch("[\u2500-\u257F]", output.ToString());
    }
}
