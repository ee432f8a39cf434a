using System.Text;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Writes to <paramref name="inner"/> without the spaces that end a line (table cells padded to
/// their column's width), so that piped output has no line wider than its content.
/// </summary>
public sealed class TrimmingWriter(TextWriter inner) : TextWriter
{
    // Spaces seen but not written yet: written before the next other character, dropped at a line's end.
    private int _pendingSpaces;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case ' ':
                _pendingSpaces++;
                return;
            case '\n':
            case '\r':
                _pendingSpaces = 0;
                inner.Write(value);
                return;
            default:
                if (_pendingSpaces > 0)
                {
                    inner.Write(new string(' ', _pendingSpaces));
                    _pendingSpaces = 0;
                }

                inner.Write(value);
                return;
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Flush();
        }

        base.Dispose(disposing);
    }
}
