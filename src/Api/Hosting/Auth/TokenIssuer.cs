using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GovEvents.Api.Hosting.Auth;

/// <summary>
/// Signs tokens with the configured key and the server clock (the dev clock in development mode),
/// so a token issued "now" expires when the clock says so. Production tokens come from the
/// government's identity provider; this serves the dev endpoint and tests.
/// </summary>
public sealed class TokenIssuer(IOptions<GovEventsSettings> settings, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static SymmetricSecurityKey SigningKey(GovEventsSettings s) =>
        new(Encoding.UTF8.GetBytes(s.Jwt.EffectiveSigningKey(s.Dev.Enabled)));

    public string Issue(string subject, IEnumerable<string> roles, string? departmentCode = null, string? windowCode = null, TimeSpan? lifetime = null)
    {
        var s = settings.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(GovClaims.Subject, subject) };
        claims.AddRange(roles.Select(r => new Claim(GovClaims.Role, r)));
        if (departmentCode is { Length: > 0 }) claims.Add(new Claim(GovClaims.Department, departmentCode));
        if (windowCode is { Length: > 0 }) claims.Add(new Claim(GovClaims.Window, windowCode));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = s.Jwt.Issuer,
            Audience = s.Jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(s.Jwt.TokenLifetimeMinutes)),
            SigningCredentials = new SigningCredentials(SigningKey(s), SecurityAlgorithms.HmacSha256),
        });
    }
}
