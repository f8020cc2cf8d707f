using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PayTrack.BrowserTests.Support;

namespace PayTrack.BrowserTests.Features;

/// <summary>Register, sign in, settings, sign out, session expiry and suspension, in a real browser.</summary>
public sealed class AccountFlowTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Register_SignIn_ChangeSettings_SignOut()
    {
        await Page.GotoAsync("/register");
        await ScreenshotAsync(Page, "register");
        var (email, _) = await RegisterAndSignInAsync(Page, "Alex Doe", "EUR");
        Page.Url.ShouldBe(App.BaseUrl + "/");
        (await Page.Locator("h1").TextContentAsync()).ShouldBe("Hello, Alex Doe");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await Page.GetByLabel("Display name", new() { Exact = true }).FillAsync("Alex D.");
        await Page.GetByLabel("Default currency", new() { Exact = true }).SelectOptionAsync("JPY");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your profile is saved.");
        (await Page.GetByLabel("Default currency", new() { Exact = true }).InputValueAsync()).ShouldBe("JPY");
        await Assertions.Expect(Page.Locator(".who")).ToHaveTextAsync("Alex D.");
        await ScreenshotAsync(Page, "settings");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Page.WaitForURLAsync("**/sign-in");
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("You are signed out");
        await ScreenshotAsync(Page, "sign-in");

        await Page.GotoAsync("/settings");
        Page.Url.ShouldContain("/sign-in?returnUrl=%2Fsettings");
        await SignInAsync(Page, email);
        Page.Url.ShouldBe(App.BaseUrl + "/settings");
    }

    [Fact]
    public async Task ExpiredSession_RedirectsToSignIn_AndBackToThePageAskedFor()
    {
        var (email, _) = await RegisterAndSignInAsync(Page);
        await Page.GotoAsync("/settings");

        // The session ends on the server (what expiry, sign-out elsewhere or a password change do).
        await using (var db = App.Database.OpenContext())
            await db.Sessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, DateTime.UtcNow).SetProperty(x => x.RevokedReason, "expired"));

        await Page.GotoAsync("/admin/users");
        Page.Url.ShouldBe(App.BaseUrl + "/sign-in?returnUrl=%2Fadmin%2Fusers");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Welcome back" })).ToBeVisibleAsync();

        await SignInAsync(Page, email);
        Page.Url.ShouldBe(App.BaseUrl + "/admin/users");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task FormError_IsShownNextToTheField_AndKeepsWhatWasTyped()
    {
        await Page.GotoAsync("/register");
        await Page.GetByLabel("Your name", new() { Exact = true }).FillAsync("Zoë Typed");
        await Page.GetByLabel("E-mail", new() { Exact = true }).FillAsync("zoe@example.com");
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        await Page.GetByLabel("Main currency", new() { Exact = true }).SelectOptionAsync("GBP");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

        await Assertions.Expect(Page.Locator("#password-error")).ToHaveTextAsync("Password must be at least 10 characters long.");
        (await Page.GetByLabel("Your name", new() { Exact = true }).InputValueAsync()).ShouldBe("Zoë Typed");
        (await Page.GetByLabel("E-mail", new() { Exact = true }).InputValueAsync()).ShouldBe("zoe@example.com");
        (await Page.GetByLabel("Main currency", new() { Exact = true }).InputValueAsync()).ShouldBe("GBP");
        (await Page.GetByLabel("Password", new() { Exact = true }).GetAttributeAsync("aria-invalid")).ShouldBe("true");
        // Focus lands on the field in error, for keyboard and screen-reader users.
        (await Page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("Input_Password");
        await ScreenshotAsync(Page, "form-error");
    }

    [Fact]
    public async Task AdminSuspends_TheUserIsSignedOutOnTheNextClick_AndCannotSignIn()
    {
        var (_, _) = await RegisterAndSignInAsync(Page, "Ada Admin");
        var other = await NewPageAsync();
        var (email, _) = await RegisterAndSignInAsync(other, "Bo User");

        await Page.GotoAsync("/admin/users");
        Page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Suspend Bo User" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Bo User is suspended");
        await ScreenshotAsync(Page, "admin-users");

        await other.GotoAsync("/settings");
        other.Url.ShouldContain("/sign-in");
        await other.GetByLabel("E-mail", new() { Exact = true }).FillAsync(email);
        await other.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await other.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(other.GetByRole(AriaRole.Alert)).ToContainTextAsync("This account is suspended");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Reactivate Bo User" }).ClickAsync();
        await SignInAsync(other, email);
    }

    [Fact]
    public async Task PhoneViewport_HasNoHorizontalScroll_OnEveryPage()
    {
        var phone = await NewPageAsync(375, 740);
        await phone.GotoAsync("/register");
        await ShouldNotScrollSidewaysAsync(phone);
        await phone.GotoAsync("/sign-in");
        await ShouldNotScrollSidewaysAsync(phone);
        await RegisterAndSignInAsync(phone, "Pat Phone");
        foreach (var path in new[] { "/", "/expenses", "/expenses/new", "/categories", "/budgets", "/reports", "/import", "/wallets", "/send", "/settings", "/admin/users", "/no-such-page" })
        {
            await phone.GotoAsync(path);
            await ShouldNotScrollSidewaysAsync(phone);
        }
        await phone.GotoAsync("/wallets");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Postings" }).First.ClickAsync();
        await ShouldNotScrollSidewaysAsync(phone);
        await phone.GotoAsync("/");
        await ScreenshotAsync(phone, "phone-dashboard");
    }

    [Fact]
    public async Task Keyboard_ReachesTheForm_WithAVisibleFocusRing()
    {
        await Page.GotoAsync("/sign-in");
        await Page.Keyboard.PressAsync("Tab");
        (await Page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()")).ShouldBe("Skip to content");
        await Page.Keyboard.PressAsync("Enter");
        for (var i = 0; i < 10 && await Page.EvaluateAsync<string>("() => document.activeElement.id") != "Input_Email"; i++)
            await Page.Keyboard.PressAsync("Tab");
        (await Page.EvaluateAsync<string>("() => document.activeElement.id")).ShouldBe("Input_Email");
        var outline = await Page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
        outline.ShouldStartWith("solid");
        outline.ShouldNotEndWith(" 0px");
    }
}
