using Spectre.Console.Rendering;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Renders <paramref name="fancy"/> on a terminal that draws boxes (Unicode), <paramref name="plain"/>
/// elsewhere (piped output: see <see cref="Terminal"/>). The choice is made when it is written.
/// </summary>
public sealed class PlainOrFancy(IRenderable fancy, IRenderable plain) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => Pick(options).Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) => Pick(options).Render(options, maxWidth);

    private IRenderable Pick(RenderOptions options) => options.Unicode ? fancy : plain;
}
