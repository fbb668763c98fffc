using System.Security.Cryptography;
using System.Text;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802, as <c>pg_authid.rolpassword</c> stores it). Setting a
/// role's password to the verifier keeps the password itself out of statement text, and so out of any log.
/// </summary>
public static class ScramVerifier
{
    private const int Iterations = 4096;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(saltedPassword, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        return $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
