using Cirt.Console.Infrastructure;

namespace Cirt.Console.Tests.Output;

/// <summary>Piped output loses the spaces that pad a line's end, and only those.</summary>
public sealed class TrimmingWriterTests
{
    [Fact]
    public void SpacesAtALinesEndAreDroppedAndSpacesBetweenWordsKept()
    {
        using var output = new StringWriter();
        using (var writer = new TrimmingWriter(output))
        {
            writer.Write("Id      Title      \n");
            writer.Write("CIRT-1  a  ");
            writer.Flush();
            writer.Write("title   \r\n");
            writer.Write("last   ");
        }

        Assert.Equal("Id      Title\nCIRT-1  a  title\r\nlast", output.ToString());
    }
}
