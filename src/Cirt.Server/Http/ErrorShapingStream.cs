namespace Cirt.Server.Http;

/// <summary>
/// The response body of a transcoded call: passed straight through when the call succeeds (a
/// server stream's messages go out as they come), held back when its status is an error, so that
/// <see cref="JsonErrorMiddleware"/> can add the status name (<see cref="JsonErrorBody"/>) before it
/// leaves. The status is known before the first byte: JSON transcoding sets it, then writes.
/// </summary>
internal sealed class ErrorShapingStream(Stream inner, HttpResponse response) : Stream
{
    private MemoryStream? _held;
    private bool _decided;

    /// <summary>The error body written so far, or null when the response is not an error.</summary>
    public MemoryStream? Held => _held;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Target().Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Target().WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Target().WriteAsync(buffer, cancellationToken);

    public override void Flush()
    {
        if (_held is null)
        {
            inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _held is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private Stream Target()
    {
        if (!_decided)
        {
            _decided = true;
            if (response.StatusCode >= StatusCodes.Status400BadRequest)
            {
                _held = new MemoryStream();
            }
        }

        return _held ?? inner;
    }
}
