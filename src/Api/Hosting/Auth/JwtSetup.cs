using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// Bearer JWTs signed with HMAC-SHA256; claims kept as issued (sub, role, dept), a subject required. The lifetime is
/// checked against the server's TimeProvider, not the machine clock, so moving the dev clock
/// expires tokens as it would in real time.
/// </summary>
public static class JwtSetup
{
    public static IServiceCollection AddGovEventsAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<GovEventsSettings>, TimeProvider>((options, settings, time) =>
            {
                var s = settings.Value;
                options.MapInboundClaims = false;
                options.TimeProvider = time;
                options.Events = new JwtBearerEvents
                {
                    // Every act names who did it: a token that names no one is no identity (401), never "anonymous".
                    OnTokenValidated = context =>
                    {
                        if (string.IsNullOrWhiteSpace(context.Principal?.FindFirst(GovClaims.Subject)?.Value))
                            context.Fail("The token names no subject (sub).");
                        return Task.CompletedTask;
                    },
                };
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = s.Jwt.Issuer,
                    ValidAudience = s.Jwt.Audience,
                    IssuerSigningKey = TokenIssuer.SigningKey(s),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    NameClaimType = GovClaims.Subject,
                    RoleClaimType = GovClaims.Role,
                    RequireExpirationTime = true,
                    ValidateLifetime = true,
                    LifetimeValidator = (notBefore, expires, _, _) =>
                        ValidateLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime, TimeSpan.FromSeconds(s.Jwt.ClockSkewSeconds)),
                };
            });
        services.AddAuthorizationBuilder().AddGovEventsPolicies();
        return services;
    }

    private static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, DateTime now, TimeSpan skew)
    {
        if (expires is null) return false;
        if (notBefore is { } nbf && nbf.ToUniversalTime() > now + skew)
            throw new SecurityTokenNotYetValidException($"The token is not valid before {nbf:O}.") { NotBefore = nbf };
        if (expires.Value.ToUniversalTime() < now - skew)
            throw new SecurityTokenExpiredException($"The token expired at {expires:O}.") { Expires = expires.Value };
        return true;
    }
}
