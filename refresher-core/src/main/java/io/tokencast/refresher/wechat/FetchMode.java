package io.tokencast.refresher.wechat;

/** How hard to ask WeChat for a token. */
public enum FetchMode {
    /** The ordinary call; for stable tokens, returns the current token while it is valid. */
    NORMAL,
    /** Stable tokens only: mint a new token and kill the old one (20 per day, 30 s apart). */
    FORCE
}
