package io.tokencast.refresher.wechat;

/** Fetches one credential from WeChat. The only seam through which tokencast calls WeChat. */
public interface CredentialSource {

    /**
     * Asks WeChat for the credential's token.
     *
     * @throws WeChatException when WeChat answers an errcode or cannot be reached
     */
    FetchedToken fetch(ManagedCredential credential, FetchMode mode);
}
