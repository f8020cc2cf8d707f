using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using PayTrack.Tests.Support;

namespace PayTrack.Tests.Features.Web;

/// <summary>The web UI's cookie sign-in beside the API's bearer tokens (ADR 0021), over plain HTTP.</summary>
public sealed class WebAuthTests : ApiTest
{
    private const string Password = "correct horse battery";

    private async Task<(HttpClient Web, SignedInUser User)> WebSignInAsync(SignedInUser? user = null)
    {
        user ??= await App.RegisterAndSignInAsync(password: Password);
        var web = App.Anonymous();
        var res = await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        res.Headers.Location!.ToString().ShouldBe("/");
        return (web, user);
    }

    [Fact]
    public async Task Page_WithoutSignIn_RedirectsToSignInWithReturnUrl()
    {
        var res = await App.Anonymous().GetAsync("/settings?x=1");
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        res.Headers.Location!.PathAndQuery.ShouldBe("/sign-in?returnUrl=%2Fsettings%3Fx%3D1");
    }

    [Fact]
    public async Task SignIn_ThenReturnUrl_GoesBackToThePageAskedFor()
    {
        var user = await App.RegisterAndSignInAsync(password: Password);
        var web = App.Anonymous();
        var res = await web.SubmitAsync("/sign-in?returnUrl=%2Fsettings",
            new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password, ["ReturnUrl"] = "/settings" });
        res.Headers.Location!.ToString().ShouldBe("/settings");
        (await web.GetAsync("/settings")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_WithForeignReturnUrl_GoesHomeInstead()
    {
        var user = await App.RegisterAndSignInAsync(password: Password);
        var res = await App.Anonymous().SubmitAsync("/sign-in",
            new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password, ["ReturnUrl"] = "https://evil.example/" });
        res.Headers.Location!.ToString().ShouldBe("/");
    }

    [Fact]
    public async Task SignIn_CreatesASessionRow_AndApiIgnoresTheCookie()
    {
        var (web, user) = await WebSignInAsync();
        await using (var db = App.Database.OpenContext())
            (await db.Sessions.CountAsync(s => s.UserId == user.Id && s.RevokedAt == null)).ShouldBe(2, "one from the API sign-in, one from the web");

        var api = await web.GetAsync("/api/v1/me");
        await api.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        api.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        var user = await App.RegisterAndSignInAsync(password: Password);
        var web = App.Anonymous();
        var res = await web.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password }));
        res.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await web.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task SignIn_WhenPasswordWrong_ShowsErrorAndKeepsTheEmail()
    {
        var user = await App.RegisterAndSignInAsync(password: Password);
        var res = await App.Anonymous().SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = "wrong password!" });
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await res.Content.ReadAsStringAsync();
        html.ShouldContain("The e-mail or password is wrong.");
        html.ShouldContain($"value=\"{user.Email}\"");
    }

    [Fact]
    public async Task SignIn_AfterRepeatedFailures_IsLockedEvenWithTheRightPassword()
    {
        var user = await App.RegisterAndSignInAsync(password: Password);
        var web = App.Anonymous();
        for (var i = 0; i < 5; i++)
            await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = "wrong password!" });
        var res = await web.SubmitAsync("/sign-in", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = Password });
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await res.Content.ReadAsStringAsync()).ShouldContain("this account is locked");
        (await App.Anonymous().PostAsJsonAsync("/api/v1/auth/token", new { email = user.Email, password = Password })).StatusCode.ShouldBe((HttpStatusCode)423);
    }

    [Fact]
    public async Task Suspension_EndsTheWebSessionOnTheNextRequest()
    {
        var admin = await App.RegisterAndSignInAsync(password: Password);
        var user = await App.RegisterAndSignInAsync(password: Password);
        var (web, _) = await WebSignInAsync(user);
        (await web.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.Client.PostAsync($"/api/v1/admin/users/{user.Id}/suspend", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var res = await web.GetAsync("/");
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        res.Headers.Location!.AbsolutePath.ShouldBe("/sign-in");
    }

    [Fact]
    public async Task SignOut_RevokesTheSessionRow()
    {
        var (web, user) = await WebSignInAsync();
        var res = await web.SubmitAsync("/", new Dictionary<string, string>(), action: "/sign-out");
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await using (var db = App.Database.OpenContext())
            (await db.Sessions.Where(s => s.UserId == user.Id && s.RevokedReason == "logout").CountAsync()).ShouldBe(1);
        (await web.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task AdminPage_ForAPlainUser_IsDenied()
    {
        await App.RegisterAndSignInAsync(password: Password);
        var (web, _) = await WebSignInAsync();
        var res = await web.GetAsync("/admin/users");
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        res.Headers.Location!.AbsolutePath.ShouldBe("/access-denied");
    }

    [Fact]
    public async Task SignIn_OnAFreshServer_PointsToCreatingTheFirstAccount_AndNotOnceSomeoneHasOne()
    {
        var fresh = WebUtility.HtmlDecode(await App.Anonymous().GetStringAsync("/sign-in"));
        fresh.ShouldContain("Nobody has an account on this PayTrack yet.");
        fresh.ShouldContain("<a href=\"/register\">Create the first account</a>");
        await App.RegisterAndSignInAsync(password: Password);
        WebUtility.HtmlDecode(await App.Anonymous().GetStringAsync("/sign-in")).ShouldNotContain("Nobody has an account");
    }

    [Fact]
    public async Task Register_WithBadInput_ShowsFieldErrorsAndKeepsWhatWasTyped()
    {
        var res = await App.Anonymous().SubmitAsync("/register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Zoë Example", ["Input.Email"] = "not-an-email", ["Input.Password"] = "short", ["Input.DefaultCurrency"] = "EUR",
        });
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync());
        html.ShouldContain("E-mail is not a valid e-mail address.");
        var nameless = WebUtility.HtmlDecode(await (await App.Anonymous().SubmitAsync("/register", new Dictionary<string, string>
        {
            ["Input.Email"] = "someone@example.com", ["Input.Password"] = "correct horse battery", ["Input.DefaultCurrency"] = "EUR",
        })).Content.ReadAsStringAsync());
        nameless.ShouldContain("Your name is required.", Case.Sensitive, "the field is labelled 'Your name', not 'Display name'");
        html.ShouldContain("Password must be at least 10 characters long.");
        html.ShouldContain("value=\"Zoë Example\"");
        html.ShouldContain("value=\"not-an-email\"");
        html.ShouldContain("<option value=\"EUR\" selected=\"selected\">");
    }

    [Fact]
    public async Task Register_ThroughTheWeb_UsesTheApiRules_AndTheUserCanSignIn()
    {
        var web = App.Anonymous();
        var res = await web.SubmitAsync("/register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Web Person", ["Input.Email"] = "web@example.com", ["Input.Password"] = Password, ["Input.DefaultCurrency"] = "JPY",
        });
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        // Registering signs the person in: straight to the dashboard with a session cookie.
        res.Headers.Location!.OriginalString.ShouldBe("/");
        res.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("paytrack.session=", StringComparison.Ordinal));
        var dashboard = await web.GetAsync("/");
        dashboard.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dashboard.Content.ReadAsStringAsync()).ShouldContain("Hello, Web Person");
        var tokens = await App.SignInAsync("web@example.com", Password);
        var me = (await App.Authorized(tokens.AccessToken).GetFromJsonAsync<UserDto>("/api/v1/me"))!;
        me.DefaultCurrency.ShouldBe("JPY");
        me.Roles.ShouldBe(["admin"]);

        var again = await App.Anonymous().SubmitAsync("/register", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Copy", ["Input.Email"] = "WEB@example.com", ["Input.Password"] = Password,
        });
        (await again.Content.ReadAsStringAsync()).ShouldContain("An account with this e-mail already exists.");
    }

    [Fact]
    public async Task Settings_PasswordChange_UsesTheSharedRules()
    {
        var (web, user) = await WebSignInAsync();
        var res = await web.SubmitAsync("/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = "not my password", ["Password.NewPassword"] = "brand new password", ["Password.ConfirmPassword"] = "brand new password",
        }, action: "/settings?handler=Password");
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await res.Content.ReadAsStringAsync()).ShouldContain("Current password is wrong.");

        // A typo in the new password (there is no reset by e-mail) changes nothing.
        res = await web.SubmitAsync("/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = Password, ["Password.NewPassword"] = "brand new password", ["Password.ConfirmPassword"] = "brand new pasword",
        }, action: "/settings?handler=Password");
        res.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await res.Content.ReadAsStringAsync()).ShouldContain("The two new passwords are not the same.");
        await App.SignInAsync(user.Email, Password);

        res = await web.SubmitAsync("/settings", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = Password, ["Password.NewPassword"] = "brand new password", ["Password.ConfirmPassword"] = "brand new password",
        }, action: "/settings?handler=Password");
        res.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await App.SignInAsync(user.Email, "brand new password");
    }

    [Fact]
    public async Task UiPages_AnswerHtmlErrors_ButApiKeepsProblemJson()
    {
        var page = await App.Anonymous().GetAsync("/no-such-page");
        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var api = await App.Anonymous().GetAsync("/api/v1/no-such-thing");
        await api.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_FollowTheBrowsersLocale_ForDates()
    {
        var (web, _) = await WebSignInAsync();
        web.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-DE,de;q=0.9");
        var html = await web.GetStringAsync("/admin/users");
        html.ShouldContain(App.Clock.GetUtcNow().UtcDateTime.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture));
        html.ShouldContain("<html lang=\"de\"");
    }
}
