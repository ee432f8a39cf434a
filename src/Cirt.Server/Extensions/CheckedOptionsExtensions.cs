using Microsoft.Extensions.Options;

namespace Cirt.Server.Extensions;

public static class CheckedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and checks it with its own rules
    /// when the host starts (ValidateOnStart). <see cref="StartupChecks"/> has already refused bad
    /// settings before anything was built; this keeps the options checked when they reach the
    /// container some other way (a test, a later configuration source).
    /// </summary>
    public static IServiceCollection AddCheckedOptions<T>(this IServiceCollection services, IConfiguration section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddOptions<T>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ProblemsValidation<T>(problems));
        return services;
    }

    private sealed class ProblemsValidation<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problems(options).ToArray() is { Length: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
    }
}
