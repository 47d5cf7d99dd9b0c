using System.Text;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Hosting;

/// <summary>Checked when the host starts, so a misconfigured instance refuses to start instead of failing later.</summary>
public sealed class GovEventsSettingsValidation : IValidateOptions<GovEventsSettings>
{
    public ValidateOptionsResult Validate(string? name, GovEventsSettings s)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(s.ConnectionString))
            failures.Add("GovEvents:ConnectionString is required.");
        if (!HallTimeZone.TryFind(s.TimeZone, out _))
            failures.Add($"GovEvents:TimeZone '{s.TimeZone}' is not a known time zone.");
        if (s.Jwt.SigningKey is { Length: > 0 } key)
        {
            if (Encoding.UTF8.GetByteCount(key) < JwtSettings.MinimumKeyBytes)
                failures.Add($"GovEvents:Jwt:SigningKey must be at least {JwtSettings.MinimumKeyBytes} bytes.");
        }
        else if (!s.Dev.Enabled)
        {
            failures.Add($"GovEvents:Jwt:SigningKey (at least {JwtSettings.MinimumKeyBytes} bytes) is required outside development mode.");
        }
        if (s.OnlinePayments.Secret is { Length: > 0 } secret && Encoding.UTF8.GetByteCount(secret) < OnlinePaymentSettings.MinimumSecretBytes)
            failures.Add($"GovEvents:OnlinePayments:Secret must be at least {OnlinePaymentSettings.MinimumSecretBytes} bytes.");
        if (s.OnlinePayments.ToleranceSeconds <= 0) failures.Add("GovEvents:OnlinePayments:ToleranceSeconds must be positive.");
        if (s.Jwt.TokenLifetimeMinutes <= 0) failures.Add("GovEvents:Jwt:TokenLifetimeMinutes must be positive.");
        if (s.Jwt.ClockSkewSeconds < 0) failures.Add("GovEvents:Jwt:ClockSkewSeconds may not be negative.");
        if (s.MaxRequestBodyBytes < 1024) failures.Add("GovEvents:MaxRequestBodyBytes is at least 1024.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
