package io.pbxbridge.events;

import jakarta.mail.PasswordAuthentication;

import org.apache.camel.component.mail.MailAuthenticator;

/**
 * SMTP credentials for the e-mail sink. With an empty username no authentication is attempted at all (camel-mail
 * would otherwise try AUTH with empty credentials, which servers refuse).
 */
public class SmtpAuthenticator extends MailAuthenticator {

    private String username;
    private String password;

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(username, password);
    }

    public boolean isEnabled() {
        return username != null && !username.isBlank();
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
